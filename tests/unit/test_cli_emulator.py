"""`atiende emulator`'s retry options: the pause cap reaches the emulator, bad input is refused."""

import pytest

from atiende import cli

REQUIRED = [
    "emulator",
    "--app-url",
    "http://127.0.0.1:1/w",
    "--app-secret",
    "s",
    "--access-token",
    "t",
]


def test_the_retry_pause_cap_is_parsed() -> None:
    args = cli._parser().parse_args([*REQUIRED, "--retry-max-seconds", "2"])
    assert args.retry_max_seconds == 2.0
    assert cli._parser().parse_args(REQUIRED).retry_max_seconds == 3600.0


@pytest.mark.parametrize("value", ["0", "-1", "nan", "abc"])
def test_a_cap_that_is_not_a_positive_number_is_refused(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli._parser().parse_args([*REQUIRED, "--retry-max-seconds", value])
    assert "a number of seconds above 0" in capsys.readouterr().err
