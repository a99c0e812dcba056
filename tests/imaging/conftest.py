from collections.abc import Iterator

import pytest
from PIL import ImageFile


@pytest.fixture
def pixel_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """The size of every image whose pixels get decoded (a load() with data left to decode)."""
    loads: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        if self.tile:
            loads.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    yield loads
