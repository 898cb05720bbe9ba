"""`corroborate serve`: registered on the CLI, with a token made up beyond loopback."""

from __future__ import annotations

from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.cli.web import serve_token

runner = CliRunner()


def test_serve_is_a_cli_command_with_its_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--db", "--host", "--port", "--token", "--allowed-host",
                   "CORROBORATE_ALLOWED_HOSTS"):
        assert option in result.output
    assert "--allow-private" not in result.output  # refusals point at `ingest` instead


def test_serve_needs_no_token_on_loopback_and_makes_one_up_elsewhere() -> None:
    assert serve_token("127.0.0.1", None) == (None, False)
    assert serve_token("::1", None) == (None, False)
    assert serve_token("0.0.0.0", "given") == ("given", False)
    token, made_up = serve_token("0.0.0.0", None)
    assert made_up and token is not None and len(token) >= 24


def test_serve_refuses_a_database_in_a_missing_folder() -> None:
    result = runner.invoke(app, ["serve", "--db", "/no/such/folder/x.db", "--port", "1"])
    assert result.exit_code == 2
    assert "does not exist" in result.output
