"""`advocate keys create` and `advocate keys widget-token`: the last word printed is the key itself."""

from __future__ import annotations

from pathlib import Path


def test_keys_create_prints_a_working_key_last(run_cli, http_data_dir: Path, http_app) -> None:
    from integrations.http.keystore import KeyStore

    result = run_cli("keys", "create", "--role", "manager", "--user", "lee@fieldloop.example",
                     "--data-dir", str(http_data_dir))
    assert result.code == 0
    credential = KeyStore(http_app[1].store.engine).lookup(result.out.split()[-1])
    assert credential is not None and credential.role == "manager" and credential.user == "lee@fieldloop.example"


def test_widget_token_prints_a_token_for_that_account_last(run_cli, http_data_dir: Path, http_app) -> None:
    from integrations.http.tokens import verify_widget_token

    result = run_cli("keys", "widget-token", "globex", "--ttl", "2h", "--data-dir", str(http_data_dir))
    assert result.code == 0
    credential = verify_widget_token(http_app[1].settings, result.out.split()[-1])
    assert credential is not None and credential.account_id == "globex" and credential.is_customer


def test_keys_bad_input_is_one_line_and_exit_2(run_cli, http_data_dir: Path) -> None:
    for args in (("keys", "widget-token", "globx"), ("keys", "widget-token", "globex", "--ttl", "forever"),
                 ("keys", "create", "--role", "root", "--user", "a@b.example"),
                 ("keys", "create", "--role", "csm", "--user", "not-an-email")):
        result = run_cli(*args, "--data-dir", str(http_data_dir))
        assert result.code == 2, args
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "closest: globex" in run_cli("keys", "widget-token", "globx", "--data-dir", str(http_data_dir)).err
