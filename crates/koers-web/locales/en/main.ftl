# Koers — English. Keys are shared with nl/main.ftl.
skip-to-content = Skip to content
nav-main = Main menu
nav-home = Home
nav-users = Users
nav-programmes = Programmes
nav-audit = Audit log
nav-account = My account
logout = Log out
footer = Koers — career orientation and guidance in teacher education
save = Save
search = Search
filter = Filter
next-page = Next page
chart-as-table = Show as a table
form-has-errors = Something is wrong in the form

login-title = Log in
login-intro = Log in with your email address and password.
login-submit = Log in
login-missing = Enter your email address and your password.
login-wrong = The email address or the password is not correct.
login-throttled = { $minutes ->
    [one] Too many failed attempts. Try again in 1 minute.
   *[other] Too many failed attempts. Try again in { $minutes } minutes.
}

field-email = Email address
field-password = Password
field-name = Name
field-code = Code
field-role = Role
field-roles = Roles
field-scope = Applies to
field-scope-of = Applies to: { $role }
field-status = Status
field-programme = Programme
field-cohort = Cohort
field-cohorts = Cohorts
field-student-number = Student number
field-counsellor = Career counsellor
field-current-password = Current password
field-new-password = New password
field-confirm-password = Repeat new password
password-hint = At least 10 characters. A sentence of a few words is strong and easy to remember.
scope-institution = Whole institution
status-active = Active
status-inactive = Deactivated

role-administrator = Administrator
role-programme-manager = Programme manager
role-counsellor = Career counsellor
role-lecturer = Lecturer
role-student = Student
role-hr-adviser = HR adviser
role-employee = Employee
role-placement-mentor = Placement mentor

home-title = Home
home-welcome = Welcome, { $name }
home-admin-title = Administration
home-users = Users
home-programmes = Programmes
home-students = Students
home-people = People
home-roles-chart = Users by role
home-recent-events = Recent events
home-all-events = See the whole audit log
home-programmes-title = Programmes and cohorts
home-caseload-title = My students
home-caseload-empty = No students are assigned to you yet.
home-caseload-count = { $count ->
    [one] You guide 1 student.
   *[other] You guide { $count } students.
}
home-caseload-more = { $count ->
    [one] And 1 more student.
   *[other] And { $count } more students.
}
home-study-title = My programme
home-no-counsellor = No career counsellor yet
home-no-enrolment = You are not enrolled in a programme yet. Please contact student administration.
home-hr-title = Staff by role
home-mentor-title = My trainees
home-mentor-empty = No trainees are assigned to you yet. As soon as the programme records a placement with you as placement mentor, you will see the student here.
home-account-title = My details
home-account-link = Change password or language

account-title = My account
account-profile = Details
account-password = Change password
account-password-submit = Change password
account-language = Language
account-language-legend = Which language do you want to use Koers in?
account-language-auto = Like my browser
account-sessions = Logged in on other devices
account-sessions-count = { $count ->
    [one] You are logged in at 1 place.
   *[other] You are logged in at { $count } places.
}
account-sessions-end = Log out everywhere else

users-title = Users
users-new = New user
users-create = Create user
users-search = Search by name or email address
users-all-roles = All roles
users-empty = There are no users yet.
users-none-found = No users found. Try another search.
users-temp-password = Pass this temporary password on safely. You see it only once. The user then chooses a new password.
users-account-status = Account
users-deactivate = Deactivate
users-deactivate-confirm = Are you sure you want to deactivate this account? The user is logged out at once.
users-activate = Activate again
users-reset-password = Make a new password
users-reset-confirm = Make a new password? The old one stops working.

programmes-title = Programmes
programmes-empty = There are no programmes yet.
programmes-new = New programme
programmes-create = Add programme
programmes-code-hint = For example LO-ECO: letters, digits and dashes.
programmes-rename = Change name
cohorts-empty = This programme has no cohorts yet.
cohorts-year = Start year of the new cohort
cohorts-add = Add cohort

audit-title = Audit log
audit-intro = Everything that happens to accounts, roles and programmes. The log cannot be changed.
audit-kind = Kind
audit-all = Everything
audit-empty = No events yet.
audit-when = When
audit-what = What
audit-who = Who
audit-subject = About
audit-address = Address
audit-subject-user = user
audit-subject-programme = programme
audit-subject-cohort = cohort
audit-kind-login = Logging in
audit-kind-account = Own account
audit-kind-user = Users
audit-kind-programme = Programmes
audit-kind-cohort = Cohorts
audit-action-login-success = Logged in
audit-action-login-failure = Login failed
audit-action-login-logout = Logged out
audit-action-account-password = Own password changed
audit-action-account-sessions_ended = Logged out everywhere else
audit-action-user-create = User created
audit-action-user-update = User changed
audit-action-user-activate = User activated
audit-action-user-deactivate = User deactivated
audit-action-user-password_reset = Password reset
audit-action-programme-create = Programme added
audit-action-programme-rename = Programme renamed
audit-action-cohort-create = Cohort added

flash-saved = Saved.
flash-created = Created.
flash-password-changed = Your password has been changed. You are logged out on other devices.
flash-sessions-ended = You are logged out everywhere else.
flash-deactivated = The account has been deactivated.
flash-activated = The account is active again.
flash-password-reset = A new password has been made.
flash-cohort-added = The cohort has been added.
flash-language-changed = Your language choice has been saved.

error-back-home = Back to the home page
error-title-400 = We do not understand that
error-title-401 = Please log in first
error-title-403 = No access
error-title-404 = Not found
error-title-405 = Not possible here
error-title-408 = That took too long
error-title-409 = Already exists
error-title-413 = Too large
error-title-415 = This kind of data is not accepted
error-title-422 = Please check your input
error-title-429 = Please wait
error-title-500 = Something went wrong
error-bad-request = The request is not valid.
error-unauthenticated = You are not logged in, or your session has expired.
error-forbidden = You have no access to this page or action.
error-not-found = This page or item does not exist.
error-conflict = This already exists: { $what }.
error-invalid = Not all details are filled in correctly.
error-too-many-requests = Too many attempts. Please try again later.
error-internal = Something went wrong on our side. Please try again later.
error-required = This field is required.
error-email-invalid = Enter a valid email address, such as name@school.nl.
error-email-taken = This email address already has an account.
error-name-too-long = The name is too long (at most 200 characters).
error-code-invalid = Use only letters, digits and dashes (at most 20).
error-code-taken = This code is already in use.
error-year-invalid = Enter a year, such as 2025.
error-cohort-exists = This cohort already exists.
error-password-too-short = The password is too short: use at least 10 characters.
error-password-too-long = The password is too long.
error-password-too-weak = This password is too easy to guess.
error-password-mismatch = The two new passwords are not the same.
error-current-password-wrong = Your current password is not correct.
error-roles-required = Choose at least one role.
error-role-unknown = This role does not exist.
error-scope-invalid = This role cannot be tied to this programme.
error-programme-unknown = This programme does not exist.
error-cannot-remove-own-admin = You cannot remove your own administrator role.
error-cannot-deactivate-self = You cannot deactivate your own account.
error-limit-invalid = The limit must be between 1 and 500.
error-cursor-invalid = This next page does not exist (any more).
