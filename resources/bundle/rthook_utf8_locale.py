# PyInstaller runtime hook: runs in the bundle before the app's code.
#
# Started with no locale set (env -i, some service managers), the python
# command switches the C locale to C.UTF-8 itself (PEP 538); the bundle's
# embedded Python does not, and Qt then warns on every start that it "depends
# on a UTF-8 locale". Do what the python command does.
import os

_locale = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG")
if _locale in (None, "", "C", "POSIX"):
    os.environ["LC_CTYPE"] = "C.UTF-8"
del _locale
