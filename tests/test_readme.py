"""The README's two set-up commands and .ci/run stay in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_two_commands():
    cmds = _setup_commands()
    assert len(cmds) == 2
    # the first command does the main job: the ranked knockouts that restore sensitivity
    assert cmds[0].startswith("pip install . && logicnet screen networks/igf_axis.toml --context HCC --drug lenvatinib")
    assert cmds[1].startswith("pip install -e \".[test]\" && ")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _setup_commands()[1] in ci.splitlines()


def test_readme_python_section_shows_a_screen_and_cli_section_shows_screen():
    text = (ROOT / "README.md").read_text()
    python = re.search(r"## Python\n\n```python\n(.*?)```", text, re.S).group(1)
    assert "logicnet.screen(" in python
    cli = re.search(r"## The command line\n\n```bash\n(.*?)```", text, re.S).group(1)
    assert "logicnet screen " in cli and "logicnet validate " in cli
