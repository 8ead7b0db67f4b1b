# Koers — Nederlands (B1). Sleutels in het Engels; zie ../../src/i18n.rs.
skip-to-content = Naar de inhoud
nav-main = Hoofdmenu
nav-home = Start
nav-users = Gebruikers
nav-programmes = Opleidingen
nav-audit = Logboek
nav-account = Mijn account
logout = Uitloggen
footer = Koers — loopbaanoriëntatie en -begeleiding in de lerarenopleiding
save = Opslaan
search = Zoeken
filter = Filteren
next-page = Volgende pagina
chart-as-table = Toon als tabel
form-has-errors = Er gaat iets mis in het formulier

login-title = Inloggen
login-intro = Log in met je e-mailadres en wachtwoord.
login-submit = Inloggen
login-missing = Vul je e-mailadres en je wachtwoord in.
login-wrong = Het e-mailadres of het wachtwoord klopt niet.
login-throttled = { $minutes ->
    [one] Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.
   *[other] Te veel mislukte pogingen. Probeer het over { $minutes } minuten opnieuw.
}

field-email = E-mailadres
field-password = Wachtwoord
field-name = Naam
field-code = Code
field-role = Rol
field-roles = Rollen
field-scope = Geldt voor
field-scope-of = Geldt voor: { $role }
field-status = Status
field-programme = Opleiding
field-cohort = Cohort
field-cohorts = Cohorten
field-student-number = Studentnummer
field-counsellor = Loopbaanbegeleider
field-current-password = Huidig wachtwoord
field-new-password = Nieuw wachtwoord
field-confirm-password = Herhaal nieuw wachtwoord
password-hint = Minstens 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.
scope-institution = Hele instelling
status-active = Actief
status-inactive = Gedeactiveerd

role-administrator = Beheerder
role-programme-manager = Opleidingsmanager
role-counsellor = Loopbaanbegeleider
role-lecturer = Docent
role-student = Student
role-hr-adviser = HR-adviseur
role-employee = Medewerker
role-placement-mentor = Werkplekbegeleider

home-title = Start
home-welcome = Welkom, { $name }
home-admin-title = Beheer
home-users = Gebruikers
home-programmes = Opleidingen
home-students = Studenten
home-people = Personen
home-roles-chart = Gebruikers per rol
home-recent-events = Laatste gebeurtenissen
home-all-events = Naar het hele logboek
home-programmes-title = Opleidingen en cohorten
home-caseload-title = Mijn studenten
home-caseload-empty = Er zijn nog geen studenten aan jou gekoppeld.
home-caseload-count = { $count ->
    [one] Je begeleidt 1 student.
   *[other] Je begeleidt { $count } studenten.
}
home-caseload-more = { $count ->
    [one] En nog 1 student.
   *[other] En nog { $count } studenten.
}
home-study-title = Mijn opleiding
home-no-counsellor = Nog geen loopbaanbegeleider
home-no-enrolment = Je bent nog niet ingeschreven bij een opleiding. Neem contact op met de studentenadministratie.
home-hr-title = Medewerkers per rol
home-mentor-title = Mijn stagiairs
home-mentor-empty = Er zijn nog geen stagiairs aan jou gekoppeld. Zodra de opleiding een stage met jou als werkplekbegeleider vastlegt, zie je de student hier.
home-account-title = Mijn gegevens
home-account-link = Wachtwoord of taal wijzigen

account-title = Mijn account
account-profile = Gegevens
account-password = Wachtwoord wijzigen
account-password-submit = Wachtwoord wijzigen
account-language = Taal
account-language-legend = In welke taal wil je Koers gebruiken?
account-language-auto = Zoals mijn browser
account-sessions = Ingelogd op andere apparaten
account-sessions-count = { $count ->
    [one] Je bent op 1 plek ingelogd.
   *[other] Je bent op { $count } plekken ingelogd.
}
account-sessions-end = Overal anders uitloggen

users-title = Gebruikers
users-new = Nieuwe gebruiker
users-create = Gebruiker maken
users-search = Zoek op naam of e-mailadres
users-all-roles = Alle rollen
users-empty = Er zijn nog geen gebruikers.
users-none-found = Geen gebruikers gevonden. Probeer een andere zoekterm.
users-temp-password = Geef dit tijdelijke wachtwoord veilig door. Je ziet het maar één keer. De gebruiker kiest daarna zelf een nieuw wachtwoord.
users-account-status = Account
users-deactivate = Deactiveren
users-deactivate-confirm = Weet je zeker dat je dit account wilt deactiveren? De gebruiker wordt meteen uitgelogd.
users-activate = Weer activeren
users-reset-password = Nieuw wachtwoord maken
users-reset-confirm = Een nieuw wachtwoord maken? Het oude werkt dan niet meer.

programmes-title = Opleidingen
programmes-empty = Er zijn nog geen opleidingen.
programmes-new = Nieuwe opleiding
programmes-create = Opleiding toevoegen
programmes-code-hint = Bijvoorbeeld LO-ECO: letters, cijfers en streepjes.
programmes-rename = Naam wijzigen
cohorts-empty = Deze opleiding heeft nog geen cohorten.
cohorts-year = Startjaar van het nieuwe cohort
cohorts-add = Cohort toevoegen

audit-title = Logboek
audit-intro = Alles wat er gebeurt met accounts, rollen en opleidingen. Het logboek kan niet worden gewijzigd.
audit-kind = Soort
audit-all = Alles
audit-empty = Nog geen gebeurtenissen.
audit-when = Wanneer
audit-what = Wat
audit-who = Wie
audit-subject = Over
audit-address = Adres
audit-subject-user = gebruiker
audit-subject-programme = opleiding
audit-subject-cohort = cohort
audit-kind-login = Inloggen
audit-kind-account = Eigen account
audit-kind-user = Gebruikers
audit-kind-programme = Opleidingen
audit-kind-cohort = Cohorten
audit-action-login-success = Ingelogd
audit-action-login-failure = Inloggen mislukt
audit-action-login-logout = Uitgelogd
audit-action-account-password = Eigen wachtwoord gewijzigd
audit-action-account-sessions_ended = Overal anders uitgelogd
audit-action-user-create = Gebruiker gemaakt
audit-action-user-update = Gebruiker gewijzigd
audit-action-user-activate = Gebruiker geactiveerd
audit-action-user-deactivate = Gebruiker gedeactiveerd
audit-action-user-password_reset = Wachtwoord opnieuw ingesteld
audit-action-programme-create = Opleiding toegevoegd
audit-action-programme-rename = Opleiding hernoemd
audit-action-cohort-create = Cohort toegevoegd

flash-saved = Opgeslagen.
flash-created = Aangemaakt.
flash-password-changed = Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.
flash-sessions-ended = Je bent overal anders uitgelogd.
flash-deactivated = Het account is gedeactiveerd.
flash-activated = Het account is weer actief.
flash-password-reset = Er is een nieuw wachtwoord gemaakt.
flash-cohort-added = Het cohort is toegevoegd.
flash-language-changed = Je taalkeuze is opgeslagen.

error-back-home = Terug naar de startpagina
error-title-400 = Dat begrijpen we niet
error-title-401 = Log eerst in
error-title-403 = Geen toegang
error-title-404 = Niet gevonden
error-title-405 = Dat kan hier niet
error-title-408 = Dat duurde te lang
error-title-409 = Bestaat al
error-title-413 = Te groot
error-title-415 = Dit soort gegevens kan niet
error-title-422 = Controleer de invoer
error-title-429 = Even wachten
error-title-500 = Er ging iets mis
error-bad-request = Het verzoek klopt niet.
error-unauthenticated = Je bent niet ingelogd, of je sessie is verlopen.
error-forbidden = Je hebt geen toegang tot deze pagina of actie.
error-not-found = Deze pagina of dit gegeven bestaat niet.
error-conflict = Dit bestaat al: { $what }.
error-invalid = Niet alle gegevens zijn goed ingevuld.
error-too-many-requests = Te veel pogingen. Probeer het later opnieuw.
error-internal = Er ging bij ons iets mis. Probeer het later opnieuw.
error-required = Dit veld is verplicht.
error-email-invalid = Vul een geldig e-mailadres in, zoals naam@school.nl.
error-email-taken = Dit e-mailadres heeft al een account.
error-name-too-long = De naam is te lang (maximaal 200 tekens).
error-code-invalid = Gebruik alleen letters, cijfers en streepjes (maximaal 20).
error-code-taken = Deze code is al in gebruik.
error-year-invalid = Vul een jaartal in, zoals 2025.
error-cohort-exists = Dit cohort bestaat al.
error-password-too-short = Het wachtwoord is te kort: gebruik minstens 10 tekens.
error-password-too-long = Het wachtwoord is te lang.
error-password-too-weak = Dit wachtwoord is te makkelijk te raden.
error-password-mismatch = De twee nieuwe wachtwoorden zijn niet gelijk.
error-current-password-wrong = Je huidige wachtwoord klopt niet.
error-roles-required = Kies minstens één rol.
error-role-unknown = Deze rol bestaat niet.
error-scope-invalid = Deze rol kan niet aan deze opleiding worden gekoppeld.
error-programme-unknown = Deze opleiding bestaat niet.
error-cannot-remove-own-admin = Je kunt je eigen beheerdersrol niet weghalen.
error-cannot-deactivate-self = Je kunt je eigen account niet deactiveren.
error-limit-invalid = De limiet moet tussen 1 en 500 liggen.
error-cursor-invalid = Deze vervolgpagina bestaat niet (meer).
