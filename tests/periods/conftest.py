from tests.livret.conftest import mos, world  # noqa: F401 - the same small world of two centres
