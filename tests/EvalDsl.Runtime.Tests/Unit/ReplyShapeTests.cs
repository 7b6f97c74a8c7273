using System;
using System.Linq;
using System.Text;
using CsCheck;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>
/// The client checks a usual reply on its bytes (<see cref="ChatCompletionWire.CheckBytes"/>) and any other as text
/// (<see cref="ChatCompletionWire.Check"/>): whenever the byte check decides, it must say what the text check says, and
/// the reply must need no repair (the text check's path would pass on the same bytes).
/// </summary>
public sealed class ReplyShapeTests
{
    private const string Valid =
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Canberra is the capital.\",\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

    private static readonly string[] Pieces =
    {
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\ud800", "\\udc00", "\\uD83D\\uDE00", "\\\\ud800", "\\u0000", "null", "42", "[]", "{}", "true",
        "\u00e9", "\U0001F600", "\n", " ", "\t", "\u00a0", "\ufeff", "data: ", "event: x", "<html>", "\"choices\":[]", "\"content\":7", "\"tool_calls\":{}",
    };

    [Fact]
    public void A_usual_completion_is_decided_on_its_bytes()
    {
        Assert.True(ChatCompletionWire.CheckBytes(Encoding.UTF8.GetBytes(" \r\n" + Valid), "application/json", out var problem));
        Assert.Null(problem);
        Assert.True(ChatCompletionWire.CheckBytes(Encoding.UTF8.GetBytes(Valid.Replace("\"choices\":[{", "\"choices\":[7,{", StringComparison.Ordinal)), "application/json", out problem));
        Assert.Equal("the server's reply is not a chat completion: choices[0] is a number, not an object", problem);
    }

    [Fact]
    public void The_check_on_bytes_agrees_with_the_check_on_text_whenever_it_decides()
    {
        var bodies = Gen.Select(Gen.Int[0, Valid.Length], Gen.Int[0, 4], Gen.Int[0, Pieces.Length - 1].Array[1, 4], Gen.OneOf(new[] { "application/json", "text/html", "text/event-stream", "" }))
            .Select((position, kind, pieces, type) =>
            {
                var insert = string.Concat(pieces.Select(i => Pieces[i]));
                var body = kind switch
                {
                    0 => Valid.Substring(0, position),
                    1 => Valid.Insert(position, insert),
                    2 => Valid.Replace("Canberra is the capital.", insert, StringComparison.Ordinal),
                    3 => Valid.Replace("\"Canberra is the capital.\"", insert, StringComparison.Ordinal),
                    _ => insert + Valid,
                };
                var bytes = Encoding.UTF8.GetBytes(body);
                if (kind == 4 && position % 3 == 0) bytes[position % bytes.Length] = 0xFF;
                return (bytes, type);
            });
        var decided = 0;
        bodies.Sample(sample =>
        {
            var (bytes, type) = sample;
            if (!ChatCompletionWire.CheckBytes(bytes, type, out var problem)) return;
            decided++;
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Equal(ChatCompletionWire.Check(text, type), problem);
            Assert.Equal(text, ChatCompletionWire.RepairEscapes(text));
            Assert.Equal(bytes, Encoding.UTF8.GetBytes(text));
        }, iter: 3000, threads: 1);
        // The property must not hold only because the byte check never decides.
        Assert.True(decided > 300, $"the byte check decided only {decided} of 3,000 bodies");
    }
}
