"""Makes the side-by-side harness importable; keeps Starlette's httpx deprecation notice out of the way."""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")
