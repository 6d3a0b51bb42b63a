"""The help text both command lines open with, so a new user can run an archive from it alone."""

ROOT_HELP = """\
admin-assistant: keeps calendars of appointments and archives them.

Quick start (the database is a SQLite file unless ADMIN_ASSISTANT_DATABASE_URL says otherwise):

\b
  admin-assistant users create me@example.com --timezone Europe/London
  export ADMIN_ASSISTANT_USER=me@example.com
  admin-assistant calendars create Work
  admin-assistant calendars create "Work archive" --kind archive
  admin-assistant appointments import meetings.ics --calendar Work
  admin-assistant config archive create Nightly --source Work --archive "Work archive" --at 23:30
  admin-assistant archive run Nightly --date yesterday
  admin-assistant serve        # web app + the daily archive of every active configuration

Every list, show and create command takes --json. Run any command with --help for more.
"""
