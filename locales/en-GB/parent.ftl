## Parent pages in English. Every message here must also be in ../cy/parent.ftl (a test checks).

## Every page

skip-link = Skip to main content
language-switch = Language
error-prefix = Error:
problem-title = There is a problem
continue = Continue
and = and
print-receipt = Print this receipt
read-again = Read the code of conduct again
back-to-code = Back to the code of conduct
version-n = Version { $number }
child-in-class = { $name } (class { $class })
class-of = (class { $class })
children-count =
    { $count ->
        [0] no children
        [one] { $count } child
       *[other] { $count } children
    }

## How to reach the school

contact-title-any = Contact the school
contact-title = Contact { $school }
contact-ask = Ask at the school office.
contact-phone = Phone:
contact-email = Email:
contact-hours = Office hours:
ask-office-on = on
ask-office-or-at = or at
ask-office-at = at
lost-code = No code, or lost it? Ask the school office for a new one
also-at = You are also a parent or carer at { $schools }. Each school asks you to sign its own code: use the link or code from that school's letter, email or text.

## The front door

home-title = Welcome
home-heading = Read and sign our code of conduct
home-lead-one = Every parent and carer at { $school } is asked to read our { $title } and sign to say they will follow it. It takes about five minutes.
home-lead-many = Every parent and carer at { $school } is asked to read our codes of conduct and sign to say they will follow them. It takes about five minutes.
home-code-heading = Sign with the code from your letter
home-code-hint-before = It looks like
home-code-hint-after = . Capital letters and dashes do not matter.
home-link-note = If you followed a link from an email or a text message, you do not need a code.
home-read-heading = Just want to read it?
home-read-link = Read the current code of conduct
home-read-note = (no code needed).
home-staff-heading = School staff
home-staff-link = Sign in to the office pages

## Choosing a school

schools-title = Choose your school
schools-lead = This portal serves several schools. Choose your child's school to read its code of conduct and sign.
schools-code = Have a personal code from a letter?
schools-code-link = Enter your code
schools-code-after = : it works for every school here.
schools-staff = School staff: sign in

## Typing a code

code-title = Enter your code
code-label = Your personal code
code-hint-before = It is printed on the letter from school and looks like
code-hint-after = .
code-empty = Enter the code from your letter, for example KDFR-7QXP-M3.
code-length = A code has 10 letters and numbers, but you typed { $count }. Check it against your letter.
code-bad-character = Codes never contain “{ $typed }”. Check it against your letter: codes use no 0, O, 1, I or L.
code-unknown = We could not find that code. Check it against your letter and try again. If it still does not work, the code may have been replaced: ask the school office for a new one.
code-too-many = Many codes are being tried from your network at the moment, so yours has to wait its turn. Please try again in a minute, or ask the school office for help.

## Reading and signing

sign-step = Document { $number } of { $total } to sign
sign-hello = Hello { $name }. Please read this, then sign at the bottom of the page.
sign-go-to-declaration = Go to the declaration
changed-heading = The code of conduct has changed since you signed it on { $date }
changed-signed = You signed version { $number }. What the school says has changed:
changed-version = Version { $number }:
changed-read-again = Please read the new version and sign again.
changed-see-every-word = See every word that changed since version { $number } ({ $added } added, { $removed } removed)
declaration-heading = Declaration
signing-as = Signing as:
no-children = We have no children listed for you. You can still sign; please tell the school office
sign-for-children =
    { $count ->
        [one] For your child:
       *[other] For your children:
    }
agreement = Agreement
agree-label = I have read and agree to follow this code of conduct
name-label = Type your full name to sign
name-hint = As the school has it: { $name }
sign-button = Sign the declaration
stop-reminders-prompt = Getting email or text reminders you do not want?
stop-reminders-link = Stop reminders
superseded = The school published a new version while you were reading. Please read this version, then sign it.

## What is wrong with a signature

agree-error = Tick the box to confirm you have read the code of conduct and agree to follow it.
name-empty = Type your full name.
name-too-long = A name can be at most 100 characters.
name-control = The name contains a character that cannot be used. Type it again.
name-format = The name contains an invisible or direction-changing character, often brought in by copying and pasting. Type the name yourself instead of pasting it.
name-as-school = Type it as the school has it: { $name }.
name-mismatch = The name you typed does not match the name the school has for you. Type it as: { $name }. If that name is wrong, please tell the school office.

## The code's details

meta-approved-by = Approved by
meta-approved-on = Approved on
meta-last-reviewed = Last reviewed
meta-next-review = Next review due
meta-related = Related policies

## What changed, word by word

diff-key = Key:
diff-key-added = added words are underlined
diff-key-removed = removed words are struck through
diff-key-rest = ; a heading, paragraph or list item added or removed whole also has a bar beside it. Screen readers say “added” or “removed” before each change.
diff-added = added
diff-removed = removed

## Signed

done-title = You have signed
done-heading = You have already signed
done-thanks = Thank you, { $name }.
done-signed = You signed version { $number } of the { $title } on { $date }.
done-nothing = There is nothing more to do.
receipt-title = Receipt { $reference }
receipt-signed-heading = You have signed
receipt-your-reference = Your reference is
receipt-lead = Thank you. The school has your declaration. Keep this page as your receipt: print it, or save it as a PDF.
receipt-heading = Your receipt
receipt-one-more = One more to sign
receipt-also-asks = The school also asks you to read and sign the { $title }.
receipt-continue = Continue to the { $title }
receipt-come-back = You can come back to this page with the same link at any time.
receipt-version = { $title }, version { $number }
receipt-earlier = This receipt is for an earlier version. It stays valid for the version it covers.
receipt-reference = Reference
receipt-signed = Signed
receipt-signed-by = Signed by
receipt-typed-as = (typed as “{ $typed }”)
receipt-children = Children covered
receipt-none-listed = None listed
receipt-how = How
receipt-online = Online
receipt-paper = Paper form received by the school office
receipt-fingerprint = Fingerprint of the text signed (SHA-256)

## Stopping reminders

reminders-title = Reminders
reminders-done = Done: you will get no more of those reminders.
reminders-heading = Reminders from { $school }
reminders-lead = The school reminds you by email or text until you sign. Signing stops every reminder.
reminders-none = The school has no email address or mobile number for you, so it sends no reminders.
reminders-to =
    { $channel ->
        [email] Emails to { $recipient }
       *[sms] Text messages to { $recipient }
    }
reminders-stopped =
    { $channel ->
        [email] Emails to { $recipient }: stopped.
       *[sms] Text messages to { $recipient }: stopped.
    }
reminders-stop =
    { $channel ->
        [email] Stop emails
       *[sms] Stop text messages
    }
stop-title-done = Stopped
stop-done-heading =
    { $channel ->
        [email] You will get no more emails about this
       *[sms] You will get no more text messages about this
    }
stop-done-body =
    { $channel ->
        [email] { $school } will not send reminders by email to { $recipient }. The school may still write to you on paper, and your link still works if you want to sign.
       *[sms] { $school } will not send reminders by text message to { $recipient }. The school may still write to you on paper, and your link still works if you want to sign.
    }
stop-ask-heading =
    { $channel ->
        [email] Stop reminders by email?
       *[sms] Stop reminders by text message?
    }
stop-ask-body = { $school } sends reminders to { $recipient } until the code of conduct is signed.

## Problems

error-home = Go to the home page
error-not-found-heading = Page not found
error-not-found = There is no page at this address. If you typed it, check it; if you followed a link from a letter, try typing your code at the signing page instead.
error-internal-heading = Sorry, something went wrong
error-internal = Nothing you sent was lost or half-saved. Please try again in a minute; if it keeps happening, tell the school office.
error-expired-heading = This form has expired
error-expired = This form has expired or was not sent from this portal. Go back, reload the page and try again.
error-wrong-method-heading = This page cannot be used that way
error-wrong-method = This page cannot be used that way. Go back to the page before, reload it and try again.
error-bad-request-heading = There is a problem with what was sent
problem-no-version = The form did not say which version you read. Reload the page and sign again.
problem-unknown-version = That version of the code of conduct does not exist. Reload the page and sign again.
problem-no-channel = Choose which reminders to stop: go back and press one of the buttons.

## The public code of conduct and its history

policy-title = Code of conduct
policy-declaration-heading = Declaration parents sign
policy-history-link = What has changed, and earlier versions
policy-to-sign = To sign, use the link or code in the letter from school, or
policy-enter-code = enter your code
version-title = { $title }, version { $number }
version-all = All versions
version-published = Version { $number }, published { $date }
version-what-changed = What changed in this version
version-fingerprint = Fingerprint (SHA-256) of this version's text:
version-download = Download the exact text
version-check = and check it with
history-title = { $title }: history
history-current = Current version
history-heading = { $title }: what has changed
history-versions = Versions
history-date = Date
history-version = Version
history-what = What happened
history-summary = Summary
history-first = First version
history-material = Changed: parents are asked to sign again
history-minor = Minor correction: signatures stay valid
history-reviewed = Reviewed with no changes; next review due { $date }

## Translations of the code
untranslated-note = The school has not translated this code into { $language } yet, so here is the original.
governs-note = If the translation and the original say different things, the { $language } text is the one that counts.
receipt-read-in = Language you read it in
receipt-read-fingerprint = Fingerprint of the text you read (SHA-256)

# Languages by name, in the page's language (for the notes about translations)
language-en = English
language-cy = Welsh
language-ar = Arabic
language-bn = Bengali
language-zh = Chinese
language-fa = Persian
language-fr = French
language-gu = Gujarati
language-it = Italian
language-ku = Kurdish
language-lt = Lithuanian
language-ne = Nepali
language-ps = Pashto
language-pl = Polish
language-pt = Portuguese
language-pa = Punjabi
language-ro = Romanian
language-ru = Russian
language-so = Somali
language-es = Spanish
language-ta = Tamil
language-ti = Tigrinya
language-tr = Turkish
language-uk = Ukrainian
language-ur = Urdu

## Forms that could not be taken
error-too-large-heading = Too much was sent
error-too-large = That was more than a form can take. Shorten what you typed and send it again.
error-cross-site-heading = This form was not accepted
error-cross-site = This form was sent from another website, so it was not accepted. Open the school's own page and try again.
error-unreadable = The form could not be read. Go back, reload the page and try again.

policy-also-in = Read it in:

page-changed = The page changed while you were reading (the school may have added a translation). Please read it again as it is now, then sign.

receipt-chain = The school's record after your signature (no. { $number })
