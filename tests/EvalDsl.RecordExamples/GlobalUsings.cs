// The plan types (EvalCase, EvalPlan, …) live in EvalDsl.Plan.
global using EvalDsl.Plan;
