# Bash completion for letfsim: subcommands, each subcommand's flags (read from its --help, so
# they never go stale), the values of the flags that take a fixed set, and file names.
# Installed by `cmake --install` into share/bash-completion/completions/letfsim; or source it:
#   source scripts/completion/letfsim.bash
_letfsim() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} exe=${COMP_WORDS[0]}
  if ((COMP_CWORD == 1)); then
    local commands
    commands=$("$exe" --help 2>/dev/null | sed -n '/^Subcommands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local sub=${COMP_WORDS[1]}
  case $prev in
    --model) COMPREPLY=($(compgen -W "garch gjr regime merton" -- "$cur")); return ;;
    --objective) COMPREPLY=($(compgen -W "median least_squares minimax" -- "$cur")); return ;;
    --threads|--paths|--seed|--blocks|--shard|--checkpoint-every) return ;;
  esac
  if [[ $cur == -* ]]; then
    local flags
    flags=$("$exe" "$sub" --help 2>/dev/null | grep -oE '^ +(-[A-Za-z],)?--[A-Za-z][A-Za-z0-9-]*' |
            tr ',' '\n' | tr -d ' ')
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _letfsim letfsim
