## Tudalennau rhieni yn Gymraeg. Mae pob neges yma hefyd yn ../en-GB/parent.ftl (mae prawf yn gwirio).

## Pob tudalen

skip-link = Neidio i'r prif gynnwys
language-switch = Iaith
error-prefix = Gwall:
problem-title = Mae problem
continue = Ymlaen
and = a
print-receipt = Argraffu'r dderbynneb hon
read-again = Darllen y cod ymddygiad eto
back-to-code = Yn ôl i'r cod ymddygiad
version-n = Fersiwn { $number }
child-in-class = { $name } (dosbarth { $class })
class-of = (dosbarth { $class })
children-count =
    { $count ->
        [zero] dim plant
        [one] { $count } plentyn
        [two] { $count } blentyn
        [few] { $count } phlentyn
        [many] { $count } phlentyn
       *[other] { $count } o blant
    }

## Sut i gysylltu â'r ysgol

contact-title-any = Cysylltu â'r ysgol
contact-title = Manylion cyswllt { $school }
contact-ask = Gofynnwch yn swyddfa'r ysgol.
contact-phone = Ffôn:
contact-email = E-bost:
contact-hours = Oriau'r swyddfa:
ask-office-on = ar
ask-office-or-at = neu drwy e-bost at
ask-office-at = drwy e-bost at
lost-code = Dim cod, neu wedi'i golli? Gofynnwch i swyddfa'r ysgol am un newydd
also-at = Rydych chi hefyd yn rhiant neu'n ofalwr yn { $schools }. Mae pob ysgol yn gofyn i chi lofnodi ei chod ei hun: defnyddiwch y ddolen neu'r cod o lythyr, e-bost neu neges destun yr ysgol honno.

## Y dudalen gyntaf

home-title = Croeso
home-heading = Darllenwch a llofnodwch ein cod ymddygiad
home-lead-one = Rydyn ni'n gofyn i bob rhiant a gofalwr yn { $school } ddarllen ein { $title } a'i lofnodi i ddweud y byddan nhw'n ei ddilyn. Mae'n cymryd tua phum munud.
home-lead-many = Rydyn ni'n gofyn i bob rhiant a gofalwr yn { $school } ddarllen ein codau ymddygiad a'u llofnodi i ddweud y byddan nhw'n eu dilyn. Mae'n cymryd tua phum munud.
home-code-heading = Llofnodi gyda'r cod o'ch llythyr
home-code-hint-before = Mae'n edrych fel
home-code-hint-after = . Does dim ots am briflythrennau na chysylltnodau.
home-link-note = Os daethoch chi yma drwy ddolen mewn e-bost neu neges destun, does dim angen cod arnoch chi.
home-read-heading = Eisiau ei ddarllen yn unig?
home-read-link = Darllen y cod ymddygiad presennol
home-read-note = (does dim angen cod).
home-staff-heading = Staff yr ysgol
home-staff-link = Mewngofnodi i dudalennau'r swyddfa

## Dewis ysgol

schools-title = Dewiswch eich ysgol
schools-lead = Mae'r porth hwn yn gwasanaethu sawl ysgol. Dewiswch ysgol eich plentyn i ddarllen ei chod ymddygiad a'i lofnodi.
schools-code = Oes gennych chi god personol o lythyr?
schools-code-link = Rhowch eich cod
schools-code-after = : mae'n gweithio i bob ysgol yma.
schools-staff = Staff yr ysgol: mewngofnodi

## Teipio cod

code-title = Rhowch eich cod
code-label = Eich cod personol
code-hint-before = Mae wedi'i argraffu ar y llythyr o'r ysgol ac mae'n edrych fel
code-hint-after = .
code-empty = Rhowch y cod o'ch llythyr, er enghraifft KDFR-7QXP-M3.
code-length = Mae gan god 10 llythyren a rhif, ond fe wnaethoch chi deipio { $count }. Gwiriwch ef yn erbyn eich llythyr.
code-bad-character = Does dim “{ $typed }” mewn cod byth. Gwiriwch ef yn erbyn eich llythyr: does dim 0, O, 1, I nac L mewn codau.
code-unknown = Doedden ni ddim yn gallu dod o hyd i'r cod hwnnw. Gwiriwch ef yn erbyn eich llythyr a rhowch gynnig arall arni. Os nad yw'n gweithio o hyd, efallai fod cod newydd wedi cymryd ei le: gofynnwch i swyddfa'r ysgol am un newydd.
code-too-many = Mae llawer o godau'n cael eu teipio o'ch rhwydwaith ar hyn o bryd, felly mae'n rhaid i'ch un chi aros ei dro. Rhowch gynnig arall arni ymhen munud, neu gofynnwch i swyddfa'r ysgol am help.

## Darllen a llofnodi

sign-step = Dogfen { $number } o { $total } i'w llofnodi
sign-hello = Helo { $name }. Darllenwch hwn, yna llofnodwch ar waelod y dudalen.
sign-go-to-declaration = Mynd i'r datganiad
changed-heading = Mae'r cod ymddygiad wedi newid ers i chi ei lofnodi ar { $date }
changed-signed = Fe wnaethoch chi lofnodi fersiwn { $number }. Dyma beth mae'r ysgol yn ei ddweud sydd wedi newid:
changed-version = Fersiwn { $number }:
changed-read-again = Darllenwch y fersiwn newydd a'i llofnodi eto.
changed-see-every-word = Gweld pob gair sydd wedi newid ers fersiwn { $number } ({ $added } wedi'u hychwanegu, { $removed } wedi'u tynnu)
declaration-heading = Datganiad
signing-as = Yn llofnodi fel:
no-children = Does gennym ni ddim plant wedi'u rhestru i chi. Gallwch chi lofnodi o hyd; rhowch wybod i swyddfa'r ysgol
sign-for-children =
    { $count ->
        [one] Ar gyfer eich plentyn:
       *[other] Ar gyfer eich plant:
    }
agreement = Cytundeb
agree-label = Rydw i wedi darllen y cod ymddygiad hwn ac rydw i'n cytuno i'w ddilyn
name-label = Teipiwch eich enw llawn i lofnodi
name-hint = Fel y mae yng nghofnodion yr ysgol: { $name }
sign-button = Llofnodi'r datganiad
stop-reminders-prompt = Yn cael nodiadau atgoffa drwy e-bost neu neges destun nad ydych chi eu heisiau?
stop-reminders-link = Atal nodiadau atgoffa
superseded = Cyhoeddodd yr ysgol fersiwn newydd tra oeddech chi'n darllen. Darllenwch y fersiwn hon, yna llofnodwch hi.

## Beth sydd o'i le ar lofnod

agree-error = Ticiwch y blwch i gadarnhau eich bod wedi darllen y cod ymddygiad a'ch bod yn cytuno i'w ddilyn.
name-empty = Teipiwch eich enw llawn.
name-too-long = Gall enw fod yn 100 nod ar y mwyaf.
name-control = Mae nod yn yr enw na ellir ei ddefnyddio. Teipiwch ef eto.
name-format = Mae nod anweledig, neu nod sy'n newid cyfeiriad y testun, yn yr enw. Mae hyn yn digwydd yn aml wrth gopïo a gludo. Teipiwch yr enw eich hun yn lle ei ludo.
name-as-school = Teipiwch ef fel y mae yng nghofnodion yr ysgol: { $name }.
name-mismatch = Dydy'r enw a deipiwyd gennych chi ddim yn cyfateb i'r enw sydd gan yr ysgol amdanoch chi. Teipiwch ef fel hyn: { $name }. Os yw'r enw hwnnw'n anghywir, rhowch wybod i swyddfa'r ysgol.

## Manylion y cod

meta-approved-by = Wedi'i gymeradwyo gan
meta-approved-on = Wedi'i gymeradwyo ar
meta-last-reviewed = Adolygwyd ddiwethaf
meta-next-review = Yr adolygiad nesaf
meta-related = Polisïau cysylltiedig

## Beth sydd wedi newid, air am air

diff-key = Allwedd:
diff-key-added = mae geiriau sydd wedi'u hychwanegu wedi'u tanlinellu
diff-key-removed = mae llinell drwy eiriau sydd wedi'u tynnu
diff-key-rest = ; mae bar wrth ymyl pennawd, paragraff neu eitem mewn rhestr sydd wedi'i ychwanegu neu ei dynnu'n gyfan. Mae darllenwyr sgrin yn dweud “ychwanegwyd” neu “tynnwyd” cyn pob newid.
diff-added = ychwanegwyd
diff-removed = tynnwyd

## Wedi llofnodi

done-title = Rydych chi wedi llofnodi
done-heading = Rydych chi wedi llofnodi eisoes
done-thanks = Diolch, { $name }.
done-signed = Fe wnaethoch chi lofnodi fersiwn { $number } o'r { $title } ar { $date }.
done-nothing = Does dim byd arall i'w wneud.
receipt-title = Derbynneb { $reference }
receipt-signed-heading = Rydych chi wedi llofnodi
receipt-your-reference = Eich cyfeirnod yw
receipt-lead = Diolch. Mae eich datganiad gan yr ysgol. Cadwch y dudalen hon fel eich derbynneb: argraffwch hi, neu cadwch hi fel PDF.
receipt-heading = Eich derbynneb
receipt-one-more = Un arall i'w llofnodi
receipt-also-asks = Mae'r ysgol hefyd yn gofyn i chi ddarllen a llofnodi'r { $title }.
receipt-continue = Ymlaen i'r { $title }
receipt-come-back = Gallwch chi ddod yn ôl i'r dudalen hon gyda'r un ddolen unrhyw bryd.
receipt-version = { $title }, fersiwn { $number }
receipt-earlier = Mae'r dderbynneb hon ar gyfer fersiwn gynharach. Mae'n dal yn ddilys ar gyfer y fersiwn honno.
receipt-reference = Cyfeirnod
receipt-signed = Llofnodwyd
receipt-signed-by = Llofnodwyd gan
receipt-typed-as = (wedi'i deipio fel “{ $typed }”)
receipt-children = Y plant dan sylw
receipt-none-listed = Dim wedi'u rhestru
receipt-how = Sut
receipt-online = Ar-lein
receipt-paper = Ffurflen bapur a ddaeth i swyddfa'r ysgol
receipt-fingerprint = Ôl bys y testun a lofnodwyd (SHA-256)

## Atal nodiadau atgoffa

reminders-title = Nodiadau atgoffa
reminders-done = Wedi'i wneud: fyddwch chi ddim yn cael rhagor o'r nodiadau atgoffa hynny.
reminders-heading = Nodiadau atgoffa gan { $school }
reminders-lead = Mae'r ysgol yn eich atgoffa drwy e-bost neu neges destun nes i chi lofnodi. Mae llofnodi'n atal pob nodyn atgoffa.
reminders-none = Does gan yr ysgol ddim cyfeiriad e-bost na rhif ffôn symudol i chi, felly dydy hi ddim yn anfon nodiadau atgoffa.
reminders-to =
    { $channel ->
        [email] E-byst i { $recipient }
       *[sms] Negeseuon testun i { $recipient }
    }
reminders-stopped =
    { $channel ->
        [email] E-byst i { $recipient }: wedi'u hatal.
       *[sms] Negeseuon testun i { $recipient }: wedi'u hatal.
    }
reminders-stop =
    { $channel ->
        [email] Atal e-byst
       *[sms] Atal negeseuon testun
    }
stop-title-done = Wedi'u hatal
stop-done-heading =
    { $channel ->
        [email] Fyddwch chi ddim yn cael rhagor o e-byst am hyn
       *[sms] Fyddwch chi ddim yn cael rhagor o negeseuon testun am hyn
    }
stop-done-body =
    { $channel ->
        [email] Fydd { $school } ddim yn anfon nodiadau atgoffa drwy e-bost i { $recipient }. Efallai y bydd yr ysgol yn dal i ysgrifennu atoch chi ar bapur, ac mae eich dolen yn dal i weithio os ydych chi eisiau llofnodi.
       *[sms] Fydd { $school } ddim yn anfon nodiadau atgoffa drwy neges destun i { $recipient }. Efallai y bydd yr ysgol yn dal i ysgrifennu atoch chi ar bapur, ac mae eich dolen yn dal i weithio os ydych chi eisiau llofnodi.
    }
stop-ask-heading =
    { $channel ->
        [email] Atal nodiadau atgoffa drwy e-bost?
       *[sms] Atal nodiadau atgoffa drwy neges destun?
    }
stop-ask-body = Mae { $school } yn anfon nodiadau atgoffa i { $recipient } nes bod y cod ymddygiad wedi'i lofnodi.

## Problemau

error-home = Mynd i'r hafan
error-not-found-heading = Heb ddod o hyd i'r dudalen
error-not-found = Does dim tudalen yn y cyfeiriad hwn. Os gwnaethoch chi ei deipio, gwiriwch ef; os daethoch chi yma drwy ddolen o lythyr, rhowch gynnig ar deipio eich cod ar y dudalen llofnodi yn lle hynny.
error-internal-heading = Mae'n ddrwg gennym ni, aeth rhywbeth o'i le
error-internal = Chafodd dim byd a anfonwyd gennych chi ei golli na'i hanner-gadw. Rhowch gynnig arall arni ymhen munud; os yw'n dal i ddigwydd, rhowch wybod i swyddfa'r ysgol.
error-expired-heading = Mae'r ffurflen hon wedi dod i ben
error-expired = Mae'r ffurflen hon wedi dod i ben, neu ni chafodd ei hanfon o'r porth hwn. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.
error-wrong-method-heading = Does dim modd defnyddio'r dudalen hon fel hynny
error-wrong-method = Does dim modd defnyddio'r dudalen hon fel hynny. Ewch yn ôl i'r dudalen flaenorol, ail-lwythwch hi a rhowch gynnig arall arni.
error-bad-request-heading = Mae problem gyda'r hyn a anfonwyd
problem-no-version = Doedd y ffurflen ddim yn dweud pa fersiwn a ddarllenoch chi. Ail-lwythwch y dudalen a llofnodwch eto.
problem-unknown-version = Dydy'r fersiwn honno o'r cod ymddygiad ddim yn bodoli. Ail-lwythwch y dudalen a llofnodwch eto.
problem-no-channel = Dewiswch pa nodiadau atgoffa i'w hatal: ewch yn ôl a gwasgwch un o'r botymau.

## Y cod ymddygiad cyhoeddus a'i hanes

policy-title = Cod ymddygiad
policy-declaration-heading = Y datganiad mae rhieni'n ei lofnodi
policy-history-link = Beth sydd wedi newid, a fersiynau cynharach
policy-to-sign = I lofnodi, defnyddiwch y ddolen neu'r cod yn y llythyr o'r ysgol, neu
policy-enter-code = rhowch eich cod
version-title = { $title }, fersiwn { $number }
version-all = Pob fersiwn
version-published = Fersiwn { $number }, cyhoeddwyd { $date }
version-what-changed = Beth sydd wedi newid yn y fersiwn hon
version-fingerprint = Ôl bys (SHA-256) testun y fersiwn hon:
version-download = Lawrlwytho'r union destun
version-check = a'i wirio gyda
history-title = { $title }: hanes
history-current = Y fersiwn bresennol
history-heading = { $title }: beth sydd wedi newid
history-versions = Fersiynau
history-date = Dyddiad
history-version = Fersiwn
history-what = Beth ddigwyddodd
history-summary = Crynodeb
history-first = Y fersiwn gyntaf
history-material = Wedi newid: gofynnir i rieni lofnodi eto
history-minor = Cywiriad bach: mae llofnodion yn dal yn ddilys
history-reviewed = Adolygwyd heb newidiadau; yr adolygiad nesaf ar { $date }

## Translations of the code
untranslated-note = Does dim cyfieithiad { $language } o'r cod hwn gan yr ysgol eto, felly dyma'r gwreiddiol.
governs-note = Os yw'r cyfieithiad a'r gwreiddiol yn dweud pethau gwahanol, y testun { $language } sy'n cyfrif.
receipt-read-in = Iaith y testun a ddarllenoch chi
receipt-read-fingerprint = Ôl bys y testun a ddarllenoch chi (SHA-256)

# Ieithoedd wrth eu henwau, yn iaith y dudalen
language-en = Saesneg
language-cy = Cymraeg
language-ar = Arabeg
language-bn = Bengaleg
language-zh = Tsieinëeg
language-fa = Perseg
language-fr = Ffrangeg
language-gu = Gwjarati
language-it = Eidaleg
language-ku = Cwrdeg
language-lt = Lithwaneg
language-ne = Nepaleg
language-ps = Pashto
language-pl = Pwyleg
language-pt = Portiwgaleg
language-pa = Pwnjabeg
language-ro = Rwmaneg
language-ru = Rwseg
language-so = Somalieg
language-es = Sbaeneg
language-ta = Tamileg
language-ti = Tigrinya
language-tr = Tyrceg
language-uk = Wcreineg
language-ur = Wrdw

## Ffurflenni na ellid eu derbyn
error-too-large-heading = Anfonwyd gormod
error-too-large = Roedd hynny'n fwy nag y gall ffurflen ei dderbyn. Byrhewch yr hyn a deipiwyd gennych a'i anfon eto.
error-cross-site-heading = Ni dderbyniwyd y ffurflen hon
error-cross-site = Anfonwyd y ffurflen hon o wefan arall, felly ni chafodd ei derbyn. Agorwch dudalen yr ysgol ei hun a rhowch gynnig arall arni.
error-unreadable = Nid oedd modd darllen y ffurflen. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.

policy-also-in = Darllenwch ef yn:

page-changed = Newidiodd y dudalen tra oeddech chi'n darllen (efallai bod yr ysgol wedi ychwanegu cyfieithiad). Darllenwch hi eto fel y mae hi nawr, yna llofnodwch.

receipt-chain = Cofnod yr ysgol ar ôl eich llofnod (rhif { $number })
