"""narrator: turn contact-centre KPIs and value translations into board-ready Word and PowerPoint packs."""

__version__ = "0.1.0"

from narrator.errors import NarratorError, UserError  # noqa: E402
from narrator.pipeline import BuildResult, build, prepare, validate  # noqa: E402

__all__ = ["BuildResult", "NarratorError", "UserError", "build", "prepare", "validate", "__version__"]
