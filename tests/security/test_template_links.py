"""Issue 16 item 3 (template side): symlinks never lead a template read or an eject out of the workspace."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import cli
from docgen.workspace import builtin_templates


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(workspace: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(workspace), *args])


def including(workspace: Path, name: str) -> None:
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "builtin/charter.html.j2" %}\n{% block content %}\n<p>ok</p>\n'
          f"{{% include '{name}' %}}\n{{% endblock %}}\n")


def test_include_of_a_symlinked_file_is_refused_with_its_place(workspace):
    (workspace / "plans" / "templates").mkdir(parents=True)
    (workspace / "plans" / "templates" / "passwd.txt").symlink_to("/etc/passwd")
    including(workspace, "passwd.txt")
    result = run(workspace, "render", "charter", "-f", "html")
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/charter.html.j2:4: template error: passwd.txt is a link to "
                                    "/etc/passwd, outside the template folders")
    assert "root:" not in result.output
    assert not (workspace / "output" / "2026" / "company" / "charter.html").exists()
    show = run(workspace, "templates", "show", "passwd.txt")
    assert show.exit_code == 1
    assert show.output == "plans/templates/passwd.txt: a link to /etc/passwd, outside the template folders; " \
                          "docgen does not read it\n"


def test_include_through_a_symlinked_folder_is_refused(workspace, tmp_path):
    write(tmp_path / "elsewhere" / "secret.html", "SECRET-FOLDER-55")
    (workspace / "plans" / "templates").mkdir(parents=True)
    (workspace / "plans" / "templates" / "shared").symlink_to(tmp_path / "elsewhere")
    including(workspace, "shared/secret.html")
    result = run(workspace, "render", "charter", "-f", "html")
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/charter.html.j2:4: template error: shared/secret.html is a link")
    assert "SECRET-FOLDER-55" not in result.output
    listing = run(workspace, "templates", "list")
    assert listing.exit_code == 0 and "secret.html" not in listing.output


def test_a_link_between_files_inside_the_template_folders_still_works(workspace):
    write(workspace / "plans" / "templates" / "part.html.j2", "<p>PART-INSIDE-8</p>\n")
    (workspace / "plans" / "templates" / "alias.html.j2").symlink_to("part.html.j2")
    including(workspace, "alias.html.j2")
    result = run(workspace, "render", "charter", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "PART-INSIDE-8" in (workspace / "output" / "2026" / "company" / "charter.html").read_text(encoding="utf-8")


def test_a_symlinked_stylesheet_is_refused(workspace, tmp_path):
    write(tmp_path / "outside.css", 'h1::after { content: "OUTSIDE-CSS-3"; }')
    (workspace / "plans" / "templates").mkdir(parents=True)
    (workspace / "plans" / "templates" / "style.css").symlink_to(tmp_path / "outside.css")
    result = run(workspace, "render", "charter", "-f", "html")
    assert result.exit_code == 1
    assert result.output.startswith(f"plans/templates/style.css: a link to {tmp_path / 'outside.css'}, outside")


def test_a_symlinked_word_reference_document_is_refused(workspace, tmp_path):
    secret = write(tmp_path / "secret.docx", "NOT-A-DOCX")
    (workspace / "plans" / "templates").mkdir(parents=True)
    (workspace / "plans" / "templates" / "reference.docx").symlink_to(secret)
    result = run(workspace, "render", "charter", "-f", "docx")
    assert result.exit_code == 1
    assert result.output.startswith(f"plans/templates/reference.docx: a link to {secret}, outside the template")


def test_a_region_template_folder_linked_out_of_the_workspace_is_refused(workspace, tmp_path):
    write(tmp_path / "evil" / "annual-plan.html.j2", "EVIL-TEMPLATE-1")
    (workspace / "regions" / "east").mkdir(parents=True)
    (workspace / "regions" / "east" / "templates").symlink_to(tmp_path / "evil")
    result = run(workspace, "render", "annual-plan", "-r", "east", "-f", "html")
    assert result.exit_code == 1
    assert result.output.startswith(f"regions/east/templates: leads to {tmp_path / 'evil'}, outside the workspace")
    eject = run(workspace, "templates", "eject", "charter.html.j2", "-r", "east")
    assert eject.exit_code == 1 and "outside the workspace" in eject.output
    assert not (tmp_path / "evil" / "charter.html.j2").exists()


def test_eject_onto_a_dangling_symlink_writes_nothing_outside(workspace, tmp_path):
    outside = tmp_path / "planted" / "charter.html.j2"
    outside.parent.mkdir()
    dest = workspace / "plans" / "templates" / "charter.html.j2"
    dest.parent.mkdir(parents=True)
    dest.symlink_to(outside)
    result = run(workspace, "templates", "eject", "charter.html.j2")
    assert result.exit_code == 1 and "use --force" in result.output
    assert not outside.exists()
    forced = run(workspace, "templates", "eject", "charter.html.j2", "--force")
    assert forced.exit_code == 0, forced.output
    assert not outside.exists()
    assert not dest.is_symlink()
    assert dest.read_bytes() == (builtin_templates() / "charter.html.j2").read_bytes()


def test_eject_force_onto_a_link_replaces_the_link_not_its_target(workspace, tmp_path):
    victim = write(tmp_path / "victim.txt", "PRECIOUS")
    dest = workspace / "plans" / "templates" / "style.css"
    dest.parent.mkdir(parents=True)
    dest.symlink_to(victim)
    result = run(workspace, "templates", "eject", "style.css", "--force")
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "PRECIOUS"
    assert not dest.is_symlink()
    assert dest.read_bytes() == (builtin_templates() / "style.css").read_bytes()


def test_a_template_folder_configured_outside_the_workspace_is_refused_at_its_setting(workspace, tmp_path):
    write(tmp_path / "elsewhere" / "charter.html.j2", "ELSEWHERE-7")
    config = workspace / "docgen.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith("templates:"))
    lines[line - 1] = "  templates: ../elsewhere"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(workspace, "render", "charter", "-f", "html")
    assert result.exit_code == 1
    assert result.output == (f"docgen.yaml:{line}: paths.templates: '../elsewhere' leads outside the workspace; "
                             "keep templates inside it\n1 error in docgen.yaml\n")
    assert run(workspace, "templates", "eject", "charter.html.j2").exit_code == 1
    assert (tmp_path / "elsewhere" / "charter.html.j2").read_text(encoding="utf-8") == "ELSEWHERE-7"
