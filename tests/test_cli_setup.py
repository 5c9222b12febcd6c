"""docgen init and docgen doctor: a new workspace renders at once; the doctor names what to install."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import pdf_text

from docgen.cli import cli


def test_init_makes_a_workspace_that_renders_the_charter(tmp_path):
    target = tmp_path / "new-company"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "docgen.yaml").is_file() and (target / "plans" / "charter.yaml").is_file()
    rendered = CliRunner().invoke(cli, ["-w", str(target), "render", "charter", "-f", "pdf"])
    assert rendered.exit_code == 0, rendered.output
    assert "一、市場部職能" in pdf_text(target / "output" / "2026" / "company" / "charter.pdf")
    valid = CliRunner().invoke(cli, ["-w", str(target), "validate"])
    assert valid.exit_code == 0, valid.output


def test_init_never_overwrites_a_workspace(tmp_path):
    (tmp_path / "docgen.yaml").write_text("company: mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "docgen.yaml: exists; not overwriting it" in result.output
    assert (tmp_path / "docgen.yaml").read_text(encoding="utf-8") == "company: mine\n"


def test_doctor_passes_on_this_machine():
    result = CliRunner().invoke(cli, ["-w", str(Path(__file__).resolve().parent.parent), "doctor"])
    assert result.exit_code == 0, result.output
    assert "ok      CJK font (Noto Sans CJK TC): found" in result.output.splitlines()
    assert "ok      Compact CJK font subsets (PDF size): available" in result.output.splitlines()
    assert "ok      CJK extension fallback fonts (HanaMinA, HanaMinB): found" in result.output.splitlines()


def test_doctor_says_what_to_install(monkeypatch):
    monkeypatch.setattr("docgen.doctor.shutil.which", lambda name: None)
    monkeypatch.setattr("docgen.doctor.ctypes.util.find_library", lambda name: None)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert ("MISSING HarfBuzz subsetting library: missing: WeasyPrint falls back to a font subsetter about 30× slower"
            in lines)
    assert "        install: apt-get install -y libharfbuzz-subset0" in lines
    assert "        install: apt-get install -y libreoffice-writer-nogui" in lines
    assert "        install: apt-get install -y fonts-noto-cjk" in lines
    assert "        install: apt-get install -y mupdf-tools" in lines
    assert "        install: apt-get install -y fonts-hanazono" in lines


def test_the_distribution_is_not_the_unrelated_docgen_of_the_public_index():
    # `pip install 'docgen[dask]'` would fetch another project; ours is docgen-sales, its command docgen
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "docgen-sales" and project["scripts"] == {"docgen": "docgen.cli:main"}
