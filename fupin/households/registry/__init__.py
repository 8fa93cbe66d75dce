"""The registry: who the registered poor households (建档立卡) and their members are.

The national sheet declared once (sheet), reading and checking it (importing), the code
lists as data (codes), ID numbers (idcard), the import with its preview and history
(services, import_jobs), reads through the access layer (selectors), and their pages, API
and commands. It never imports the household file (../files); it tells it of the
households it writes through hooks.
"""
