"""narrator: turn contact-centre KPIs and value translations into board-ready Word and PowerPoint packs."""

__version__ = "0.1.0"

from narrator.errors import NarratorError, UserError  # noqa: E402

_PIPELINE = ("BuildResult", "build", "prepare", "validate")


def __getattr__(name: str):
    # The pipeline (and the renderers it reaches) loads on first use, not on `import narrator`: the CLI
    # imports the package for its version, and `narrator --help` should not wait for python-docx.
    if name in _PIPELINE:
        from narrator import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'narrator' has no attribute {name!r}")

__all__ = ["BuildResult", "NarratorError", "UserError", "build", "prepare", "validate", "__version__"]
