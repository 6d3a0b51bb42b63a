"""What both stacks show people, decided once: the web's cookies, CSRF, security headers, error
bodies and page contents, and the command line's JSON, tables, errors, help and progress line.

Shared by the sync and the async stack like ``domain``, but about presentation, not the data.
"""
