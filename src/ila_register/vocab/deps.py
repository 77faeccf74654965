"""What the vocabulary handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from ila_register.platform.deps import provide
from ila_register.vocab.registry import Vocabulary

DEPENDENCIES = {
    "vocabulary": provide(Vocabulary),
}
