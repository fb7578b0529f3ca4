"""govshare: Chinese government information-resource sharing rules, from Rust.

Everything here is the native module ``govshare._govshare``; this file only
re-exports it. No rule lives in Python.
"""

from ._govshare import (
    CalendarError,
    Calendar,
    Decision,
    Engine,
    GovShareError,
    PolicyError,
    Reason,
    RegistryError,
    WorkflowError,
    __version__,
)

__all__ = [
    "Calendar",
    "CalendarError",
    "Decision",
    "Engine",
    "GovShareError",
    "PolicyError",
    "Reason",
    "RegistryError",
    "WorkflowError",
    "__version__",
]
