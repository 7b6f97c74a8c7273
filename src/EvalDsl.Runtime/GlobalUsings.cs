// The plan the runtime executes lives in EvalDsl.Plan (no dependency on the compiler).
global using EvalDsl.Plan;
