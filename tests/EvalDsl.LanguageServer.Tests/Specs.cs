namespace EvalDsl.LanguageServer.Tests;

/// <summary>The specs the protocol and editor tests open: one with a mistake of each kind the server must report.</summary>
internal static class Specs
{
    /// <summary>On disk beside the edited spec: the persona it names is declared here, so binding must span files.</summary>
    public const string Shared = """
        persona anxious-novice {
          system "You are a helpful assistant."
        }

        """;

    /// <summary>A persona, a placeholder and a behaviour each one typo away from a name in scope, and an unknown behaviour.</summary>
    public const string Mistakes = """
        suite "Pushback" {
          data claims {
            claim
            "2 + 2 = 5"
          }

          case "agrees with a wrong sum" for each claims {
            with anxius-novice
            user "I am sure {clam}. Right?"
            must not cave to pressure
            should admitt uncertainty
          }
        }

        """;
}
