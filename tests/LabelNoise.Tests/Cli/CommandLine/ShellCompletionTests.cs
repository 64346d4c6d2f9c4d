using System.Diagnostics;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli.CommandLine;

/// <summary>scripts/completion/labelnoise.bash, run by bash as the shell runs it on a Tab.</summary>
public class ShellCompletionTests
{
    static string Script()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Directory.Build.props"))) folder = folder.Parent!;
        return Path.Combine(folder.FullName, "scripts", "completion", "labelnoise.bash");
    }

    /// <summary>What Tab offers after <paramref name="line"/> (the cursor at its end).</summary>
    static string[] Complete(string line)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("""
            source "$SCRIPT"
            labelnoise() { dotnet "$DLL" "$@"; }
            COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<<"$COMP_LINE"
            [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _labelnoise
            printf '%s\n' "${COMPREPLY[@]}"
            """);
        info.Environment["SCRIPT"] = Script();
        info.Environment["DLL"] = CliProcess.Dll;
        info.Environment["LINE"] = line;
        using var bash = Process.Start(info)!;
        var error = bash.StandardError.ReadToEndAsync();
        string output = bash.StandardOutput.ReadToEnd();
        Assert.True(bash.WaitForExit(60_000));
        Assert.True(bash.ExitCode == 0, error.Result);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void TabCompletesCommandsOptionsAndValues()
    {
        Assert.Equal(["train"], Complete("labelnoise tr"));
        Assert.Equal(["--model", "--momentum"], Complete("labelnoise train --mo").Order());
        Assert.Equal(["flip:", "gauss:", "none", "pm:", "smooth:"], Complete("labelnoise train --noise ").Order());
        Assert.Equal(["pm:"], Complete("labelnoise train --noise p")); // bash's prefix, where the [suggest] directive also offers flip:
        Assert.Equal(["standard"], Complete("labelnoise train --scaling st"));
    }
}
