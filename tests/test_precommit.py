"""The pre-commit hooks, for real: the `pre-commit` package installs this checkout's
hooks into a temporary corpus repository, and `git commit` runs them."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cleaner import clean
from conftest import ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
SEED_001, SEED_002, SEED_004 = "001_217565120cdcc0e0.txt", "002_63d5fec23f6ba681.txt", "004_c76d129d2dc45aae.txt"
HOOK_IDS = [h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))]


def git(cwd, *args, check=True):
    env = os.environ | {
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout as pre-commit sees it: its files as they are now (tracked and
    new, not ignored), committed in a repository of their own; (path, commit).

    `pre-commit try-repo` does the same with uncommitted changes; doing it here
    lets try-repo and an installed config share one hook environment.
    """
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks under test")
    return repo, git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory) -> dict:
    return os.environ | {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


def story_variant(text: str) -> str:
    """A lightly edited copy: another outlet's version of the same story."""
    return text.replace("said", "told reporters").replace("Syria", "Syria's") + "\nReporting by our correspondent.\n"


def test_try_repo_runs_the_check_hook(hook_repo, pre_commit_env, tmp_path, seed_texts):
    repo, _ = hook_repo
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    git(corpus, "init", "-q")
    (corpus / "dirty.txt").write_text(seed_texts[SEED_004], encoding="utf-8")
    (corpus / "clean.txt").write_text(clean(seed_texts[SEED_004]).text, encoding="utf-8")
    git(corpus, "add", "-A")
    run = subprocess.run([*PRE_COMMIT, "try-repo", str(repo), "cleaner-check", "--files", "dirty.txt", "clean.txt"],
                         cwd=corpus, env=pre_commit_env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"dirty\.txt:1: navigation \[nav-words\]", run.stdout), run.stdout
    assert "dirty.txt:43: copyright [copyright-line]" in run.stdout
    assert "clean.txt:" not in run.stdout


def test_commits_through_the_installed_hooks(hook_repo, pre_commit_env, tmp_path, seed_texts, gold):
    repo, rev = hook_repo
    corpus = tmp_path / "corpus"
    (corpus / "news").mkdir(parents=True)
    git(corpus, "init", "-q")
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": i} for i in HOOK_IDS]}]}
    (corpus / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run([*PRE_COMMIT, "install"], cwd=corpus, env=pre_commit_env, check=True, capture_output=True)

    def commit(message):
        git(corpus, "add", "-A")
        # git shows the hooks' output on standard error: take both streams as one.
        return subprocess.run(["git", "commit", "-m", message], cwd=corpus, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=900,
                              env=pre_commit_env | {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                                                    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})

    # A clean corpus commits.
    (corpus / "news" / "a.txt").write_text(clean(seed_texts[SEED_001]).text, encoding="utf-8")
    first = commit("clean corpus")
    assert first.returncode == 0, first.stdout

    # A file with boilerplate is refused; cleaner-fix leaves exactly the cleaned text.
    raw = seed_texts[SEED_004]
    (corpus / "news" / "b.txt").write_text(raw, encoding="utf-8")
    refused = commit("dirty file")
    assert refused.returncode != 0
    assert "news/b.txt:45: syndication-credit [syndication-by]" in refused.stdout, refused.stdout
    assert "Fixing news/b.txt" in refused.stdout
    fixed = (corpus / "news" / "b.txt").read_text(encoding="utf-8")
    assert fixed == clean(raw).text
    labelled = {int(n) for n in gold["remove"][SEED_004]}
    raw_lines, fixed_lines = raw.split("\n"), fixed.split("\n")
    content = [line for n, line in enumerate(raw_lines, 1) if line.strip() and n not in labelled]
    assert [line for line in fixed_lines if line.strip()] == content
    assert "Get your militia out of southern Syria" in fixed
    second = commit("dirty file, fixed")
    assert second.returncode == 0, second.stdout

    # A near-duplicate of a committed story is refused, naming the other file.
    (corpus / "news" / "c.txt").write_text(story_variant(fixed), encoding="utf-8")
    dup = commit("near-duplicate")
    assert dup.returncode != 0
    assert re.search(r"news/c\.txt:\d+: near-duplicate \[document\] near-duplicate of news/b\.txt", dup.stdout), dup.stdout

    # Another story entirely commits.
    (corpus / "news" / "c.txt").write_text(clean(seed_texts[SEED_002]).text, encoding="utf-8")
    last = commit("another story")
    assert last.returncode == 0, last.stdout
    assert git(corpus, "log", "--oneline").stdout.count("\n") == 3


def test_every_hook_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert HOOK_IDS == ["cleaner-check", "cleaner-fix", "cleaner-dedup"]
    for hook in HOOK_IDS:
        assert f"id: {hook}" in readme, hook
