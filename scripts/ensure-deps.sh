#!/usr/bin/env bash
# Installs the system packages qfecr needs to build and test, when they are missing.
# Needs: a Swift 6 toolchain on PATH, plus libncurses-dev, libssl-dev, pkg-config, tmux.
set -euo pipefail

missing=()
pkg-config --exists ncursesw 2>/dev/null || missing+=(libncurses-dev)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The shell completions are checked in zsh and fish too (Tests/e2e/install.sh).
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)

if ((${#missing[@]})); then
  # pkg-config itself missing makes the library probes fail too; de-duplicate.
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "qfecr: installing missing system packages: ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "qfecr: cannot install packages from here. Run as root:" >&2
    echo "    apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "qfecr: no Swift toolchain on PATH. Install Swift 6 (https://www.swift.org/install/linux/) and retry." >&2
  exit 1
fi
