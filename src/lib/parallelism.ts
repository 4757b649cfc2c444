/** `flowdeck/parallelism`: model parallelism across workers, scaling and its cost model. */
export * from "../ml/parallelism/balance.ts";
export * from "../ml/parallelism/cluster.ts";
export * from "../ml/parallelism/cost-model.ts";
export * from "../ml/parallelism/mlp.ts";
export * from "../ml/parallelism/pipeline.ts";
export * from "../ml/parallelism/throughput.ts";
export * from "../ui/parallelism/timeline.ts";
export * from "../ui/parallelism/cost-controls.ts";
export * from "../ml/parallelism/turns.ts";
export * from "../ml/parallelism/lease.ts";
