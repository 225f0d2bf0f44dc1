import sys
from pathlib import Path

# The fixture log builder (make_fixtures) lives with the ledger tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ledger"))
