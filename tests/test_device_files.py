"""A device (here the system's own /dev/zero and /dev/null, character devices every Linux has)
is never read as an article or an image: the regular-file check refuses it before any open,
so nothing reads endless zeros (issue 17, point 3). FIFOs are covered in test_special_files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from viewer.core.regular_files import NotReadable, check_regular, read_regular_file

DEVICES = [Path(p) for p in ("/dev/zero", "/dev/null") if os.path.exists(p)]


def test_the_machine_has_character_devices_to_try():
    assert DEVICES and all(stat.S_ISCHR(os.stat(p).st_mode) for p in DEVICES)


@pytest.mark.parametrize("device", DEVICES, ids=str)
def test_a_device_is_refused_before_it_is_read(device):
    with pytest.raises(NotReadable) as refused:
        read_regular_file(device, limit=1024)
    assert "device" in str(refused.value).lower()
    with pytest.raises(NotReadable, match="a device"):
        check_regular(device)
