## Llythyrau, e-byst a negeseuon testun yn Gymraeg, i ofalwyr sydd wedi dewis y Gymraeg.

letter-label = Llythyr at { $name }
letter-dear = Annwyl { $name },
letter-for = (ar gyfer { $children })
letter-body-1 = Rydyn ni'n gofyn i bob rhiant a gofalwr ddarllen ein cod ymddygiad a'i lofnodi i ddweud y byddan nhw'n ei ddilyn. Mae'n cymryd tua phum munud ar ffôn neu gyfrifiadur.
letter-body-2 = Sganiwch y cod sgwâr gyda chamera eich ffôn i fynd yn syth i'ch tudalen eich hun, neu agorwch y cyfeiriad isod a theipio eich cod personol. Fe welwch chi'r cod ymddygiad, enwau eich plant yn yr ysgol, a ffurflen fer i'w llofnodi. Gallwch chi argraffu neu gadw derbynneb ar y diwedd.
letter-body-3 = Os nad ydych chi'n gallu mynd ar-lein, neu os hoffech chi gopi papur, gofynnwch yn swyddfa'r ysgol.
letter-go-to = Ewch i
letter-type-code = a theipiwch eich cod personol:
letter-scan = Neu sganiwch y sgwâr gyda chamera eich ffôn.
letter-thanks = Diolch,
msg-subject = Llofnodwch os gwelwch yn dda: { $document }
msg-email =
    Annwyl { $name },

    Mae { $school } yn gofyn i bob rhiant a gofalwr ddarllen ein { $document } a'i lofnodi i ddweud y byddwch chi'n ei ddilyn. Mae eich llofnod yn cwmpasu { $children }.

    Darllenwch a llofnodwch ef { $deadline }: { $link }

    Mae'n cymryd ychydig funudau ar ffôn. Os nad yw'r ddolen yn agor, ewch i { $signing_page } a theipiwch eich cod personol: { $code }

    Diolch,
    { $school }
msg-sms = { $school }: llofnodwch god ymddygiad y rhieni ar gyfer { $children } { $deadline }: { $link }
msg-deadline-by = erbyn { $date }
msg-deadline-none = cyn gynted â phosibl
msg-stop-email = I atal yr e-byst hyn:
