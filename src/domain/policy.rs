//! The words Signoff ships with: the sample code of conduct, the declaration and the letter.
//! All written for Signoff; a school replaces them with its own.

/// Title of the sample document.
pub const SAMPLE_TITLE: &str = "Social Media Code of Conduct for Parents and Carers";

/// The sample code of conduct, in Markdown.
pub const SAMPLE_BODY: &str = "\
## Statement of intent

Social media and messaging apps help families stay in touch with each other and with the school.
Used carelessly, they can also hurt children, parents and staff, and damage the trust a school
community depends on. This code explains how we ask parents and carers to behave online when
what they post or send concerns the school, its pupils, their families or its staff.

We ask every parent and carer to read this code, sign the declaration below, and follow it.

## Legal framework

This code takes account of the law and guidance that apply to schools, including:

- the Data Protection Act 2018
- the UK General Data Protection Regulation (UK GDPR)
- the Protection of Freedoms Act 2012
- the Defamation Act 2013
- the Malicious Communications Act 1988

It works alongside these school policies, which are available from the school office:

- Complaints Procedure
- Social Media Policy
- Online Safety Policy

## Social media conduct

We expect parents and carers to be courteous online. The school will not accept:

- posts that make untrue or damaging claims about pupils, parents, staff or the school
- sharing photographs or videos of other people's children without their parents' permission
- posting details of a complaint, a safeguarding matter or any other confidential information
- contacting staff through their personal social media accounts, or asking to follow or befriend them
- creating or joining pages, groups or chats that single out or harass a member of staff, a family or the school
- posting anonymously or under another name to get round this code

If you are unhappy with something the school has done, please use the Complaints Procedure rather
than social media: it is the quickest way to get the matter put right.

Serious breaches will be taken seriously. Content that is threatening, discriminatory or
defamatory may be reported to the platform or the police.

## Online messaging

Class and year-group chats on apps such as WhatsApp are a helpful way for families to share
reminders and arrange things together. In these chats, and in messages to staff, we ask that you:

- do not send abusive, threatening or offensive messages to or about anyone in the school community
- do not use a group chat to criticise or pile on to a pupil, a family or a member of staff
- keep messages to staff for working hours and school matters, through the school's own channels
- raise concerns about your child directly with the class teacher or the school office

Where a problem starts in a chat, the school will contact the parents involved as quickly as it
can. The headteacher may ask to meet parents, and may ask the administrator of a group chat to
close it if problems continue.

## Monitoring and review

The headteacher reviews this code every year and tells parents, governors and staff what has
changed. When a change is significant, every parent and carer will be asked to read the new code
and sign the declaration again.
";

/// Wording parents agree to when they sign.
pub const SAMPLE_DECLARATION: &str = "I have read the school's Social Media Code of Conduct for Parents and Carers. \
I understand what it asks of me and I agree to follow it whenever I use social media or messaging apps \
in a way that concerns the school, its pupils, their families or its staff.";

/// Related policies of the sample, one per line.
pub const SAMPLE_RELATED: &str = "Complaints Procedure\nSocial Media Policy\nOnline Safety Policy";

/// The default letter that invites parents to sign (the headteacher can edit it).
pub const DEFAULT_LETTER: &str = "\
We ask every parent and carer to read our Social Media Code of Conduct and sign to say they will \
follow it. It takes about five minutes on a phone or computer.

Scan the square code with your phone's camera to go straight to your own page, or open the \
address below and type in your personal code. You will see the code of conduct, the names of \
your children at the school, and a short form to sign. You can print or save a receipt at the end.

If you cannot get online, or would like a paper copy, please ask at the school office.";
