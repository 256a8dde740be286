"""Run ../shared/oracle/check_nwb.py on many paths in one process (pynwb imports once).
Usage: oracle_many.py CHECK_NWB_DIR PATH... ; prints check_nwb's line per path, exit 1 if any failed.
Each check runs from the file's folder, as a user opening it there would (relative external links)."""
import os
import sys

sys.path.insert(0, sys.argv[1])
import check_nwb  # noqa: E402

failed = 0
for path in sys.argv[2:]:
    os.chdir(os.path.dirname(os.path.abspath(path)))
    rc = check_nwb.main(["check_nwb.py", path])
    sys.stdout.flush()
    failed += rc != 0
sys.exit(1 if failed else 0)
