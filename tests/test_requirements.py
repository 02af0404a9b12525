"""The lock files pin every installed package, with hashes, and agree with what is installed."""

import importlib.metadata
import re
import sysconfig
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ["requirements.txt", "requirements-dev.txt", "requirements-nodeps.txt"]
# What a virtual environment brings before anything is installed into it.
VENV_SEED = {"pip", "setuptools", "wheel"}


def entries(name):
    """The lock's entries as {package: (version, [hashes])}, continuation lines joined."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        spec, *options = line.split(" --hash=")
        requirement = Requirement(spec.strip())
        (pin,) = requirement.specifier
        assert pin.operator == "==", f"{name}: {spec} is not pinned with =="
        found[canonicalize_name(requirement.name)] = (pin.version, [o.strip() for o in options])
    return found


def asked_for(name):
    """Package names an .in file asks for (its -r includes followed)."""
    names = set()
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            names |= asked_for(line[3:].strip())
        elif line and not line.startswith("-"):
            names.add(canonicalize_name(Requirement(line).name))
    return names


@pytest.mark.parametrize("lock", LOCKS)
def test_every_entry_is_pinned_with_sha256_hashes(lock):
    pinned = entries(lock)

    assert pinned
    for package, (_version, hashes) in pinned.items():
        assert hashes, f"{lock}: {package} has no hash"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{lock}: {package}"


@pytest.mark.parametrize(
    ("source", "lock"),
    [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")],
)
def test_the_lock_pins_everything_its_source_asks_for(source, lock):
    missing = asked_for(source) - entries(lock).keys()

    assert not missing, f"{lock} lacks {sorted(missing)}: run ./run lock"


def test_the_dev_lock_runs_the_same_versions_as_the_hub():
    runtime, dev = entries("requirements.txt"), entries("requirements-dev.txt")

    differing = {p for p in runtime if dev.get(p, (None,))[0] != runtime[p][0]}

    assert not differing, f"requirements-dev.txt pins other versions of {sorted(differing)}"


def test_what_is_installed_is_what_the_locks_pin():
    pinned = entries("requirements-dev.txt") | entries("requirements-nodeps.txt")
    site_packages = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
        # Not the copies a package vendors (setuptools/_vendor joins sys.path with pkg_resources).
        if Path(dist.locate_file("")).resolve() in site_packages
    }

    unpinned = set(installed) - set(pinned) - VENV_SEED
    drifted = {
        p: (installed[p], pinned[p][0]) for p in set(installed) & set(pinned) if installed[p] != pinned[p][0]
    }

    assert not unpinned, f"installed but not in any lock: {sorted(unpinned)}"
    assert not drifted, f"installed versions differ from the lock (installed, locked): {drifted}"
