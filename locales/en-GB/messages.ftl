## Letters, emails and text messages in English. English carers get the school's own wording
## (Settings and Sending); these are what the other catalogues translate, and the fallback.

letter-label = Letter to { $name }
letter-dear = Dear { $name },
letter-for = (for { $children })
letter-body-1 = We ask every parent and carer to read our code of conduct and sign to say they will follow it. It takes about five minutes on a phone or computer.
letter-body-2 = Scan the square code with your phone's camera to go straight to your own page, or open the address below and type in your personal code. You will see the code of conduct, the names of your children at the school, and a short form to sign. You can print or save a receipt at the end.
letter-body-3 = If you cannot get online, or would like a paper copy, please ask at the school office.
letter-go-to = Go to
letter-type-code = and type your personal code:
letter-scan = Or scan the square with your phone's camera.
letter-thanks = Thank you,
msg-subject = Please sign: { $document }
msg-email =
    Dear { $name },

    { $school } asks every parent and carer to read our { $document } and sign to say you will keep to it. Your signature covers { $children }.

    Please read and sign it { $deadline }: { $link }

    It takes a few minutes on a phone. If the link does not open, go to { $signing_page } and type your personal code: { $code }

    Thank you,
    { $school }
msg-sms = { $school }: please sign the parents' code of conduct for { $children } { $deadline }: { $link }
msg-deadline-by = by { $date }
msg-deadline-none = as soon as you can
msg-stop-email = To stop these emails:
