namespace EvalDsl.Binding;

/// <summary>The model bindings a spec uses when it names none.</summary>
internal static class BindingNames
{
    /// <summary>The model under test, unless <c>model</c> names another binding.</summary>
    public const string Target = "target";

    /// <summary>The model that grades behaviors, unless <c>judge</c> names another binding.</summary>
    public const string Judge = "judge";
}
