# Bash completion for labelnoise (README: "Shell completion"). Enable it with
#   source scripts/completion/labelnoise.bash
# or copy this file to ~/.local/share/bash-completion/completions/labelnoise.
# The candidates come from the program itself: its [suggest] directive completes commands, options and
# their values from the one declaration of the command line (src/LabelNoise.Cli/CommandLine/CliParser.cs).

_labelnoise() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local word="${line##*[[:space:]]}"
    local IFS=$'\n'
    local candidates
    candidates=$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null) || return 0
    COMPREPLY=()
    local candidate
    for candidate in $candidates; do
        [[ $candidate == "$word"* ]] && COMPREPLY+=("$candidate")
    done
    # bash splits words at ':' (COMP_WORDBREAKS): reply with only what follows the last one (pm:0.5, mlp:512).
    if [[ $word == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local prefix="${word%"${word##*:}"}"
        COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
    fi
    # A value that ends in ':' (pm:, mlp:) goes on with a number: no space after it.
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *: ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}

complete -o default -F _labelnoise labelnoise ./labelnoise
