"""client.yml loading: validation messages, slugs, opening hours, path safety."""

import pytest

from cxtoolkit import resources
from cxtoolkit.config import ClientConfig, client_folder, load_config, safe_join
from cxtoolkit.errors import InputError



def test_template_and_demo_configs_load():
    tpl = load_config(resources.template("client.yml"))
    assert tpl.client == "my-client" and tpl.kpi.service_level_formula == "offered"
    demo = load_config(resources.demo_client_yml("demo"))
    assert demo.hours_for("GB")["mon"] == ("08:00", "20:00")
    assert demo.hours_for("FR")["sat"] == ("09:00", "13:00")
    assert demo.hours_for(None) == demo.business_hours
    assert demo.data_path("contacts") == resources.demo_client_yml("demo").parent.resolve() / "contacts.csv"


@pytest.mark.parametrize("slug", ["../etc", "Demo", "a/b", "", "x y", "a_b"])
def test_bad_slugs_refused(slug, tmp_path):
    with pytest.raises(InputError, match="slug"):
        client_folder(slug, tmp_path)


def _write(tmp_path, text):
    from conftest import write_client

    return write_client(tmp_path, "acme", text)


def test_error_names_file_and_field(tmp_path):
    p = _write(tmp_path, "client: acme\nkpi: {short_abandon_s: -1}\n")
    with pytest.raises(InputError) as e:
        load_config(p)
    assert str(p) in str(e.value) and "kpi.short_abandon_s" in str(e.value)


def test_hours_validation(tmp_path):
    p = _write(tmp_path, 'client: acme\nbusiness_hours: {mon: ["18:00", "09:00"]}\n')
    with pytest.raises(InputError, match="not after start"):
        load_config(p)
    p = _write(tmp_path, 'client: acme\nbusiness_hours: {lundi: ["09:00", "18:00"]}\n')
    with pytest.raises(InputError, match="unknown day"):
        load_config(p)
    p = _write(tmp_path, 'client: acme\nbusiness_hours: {mon: ["00:00", "24:00"]}\n')
    assert load_config(p).business_hours["mon"] == ("00:00", "24:00")


def test_unknown_table_and_bad_yaml(tmp_path):
    p = _write(tmp_path, "client: acme\ndata: {calls: x.csv}\n")
    with pytest.raises(InputError, match=r"data.calls \(line 2\): unknown key \(known: contacts, responses"):
        load_config(p)
    p = _write(tmp_path, "client: acme\n  bad: [\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_config(p)
    with pytest.raises(InputError, match="not found"):
        load_config(tmp_path / "nope" / "client.yml")


@pytest.mark.parametrize("rel", ["../other/contacts.csv", "/etc/passwd", "sub/../../x.csv"])
def test_data_paths_cannot_escape_the_client_folder(tmp_path, rel):
    p = _write(tmp_path, f"client: acme\ndata: {{contacts: '{rel}'}}\n")
    cfg = load_config(p)
    with pytest.raises(InputError):
        cfg.data_path("contacts")


def test_symlink_escape_refused(tmp_path):
    p = _write(tmp_path, "client: acme\ndata: {contacts: link.csv}\n")
    secret = tmp_path / "secret.csv"
    secret.write_text("x")
    (p.parent / "link.csv").symlink_to(secret)
    with pytest.raises(InputError, match="outside"):
        load_config(p).data_path("contacts")


def test_safe_join_allows_inside(tmp_path):
    assert safe_join(tmp_path, "a/b.csv") == (tmp_path / "a" / "b.csv").resolve()


def test_country_code_normalised():
    assert ClientConfig(client="x", country="gb").country == "GB"
    with pytest.raises(Exception):
        ClientConfig(client="x", country="France")
