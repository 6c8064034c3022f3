// torch.optim: optimizers and learning-rate schedulers.
export { Optimizer, required } from './optimizer';
export type { ParamGroup, ParamGroupInput, ParamsInput, ParamState, StateValue, OptimizerStateDict, Closure } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions, SGDParamGroup } from './sgd';
export { Adam } from './adam';
export type { AdamOptions, AdamParamGroup } from './adam';
export { AdamW } from './adamw';
export type { AdamWOptions } from './adamw';
export { RMSprop } from './rmsprop';
export type { RMSpropOptions, RMSpropParamGroup } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradOptions, AdagradParamGroup } from './adagrad';
export { Adadelta } from './adadelta';
export type { AdadeltaOptions, AdadeltaParamGroup } from './adadelta';
export { Adamax } from './adamax';
export type { AdamaxOptions, AdamaxParamGroup } from './adamax';
export { NAdam } from './nadam';
export type { NAdamOptions, NAdamParamGroup } from './nadam';
export { RAdam } from './radam';
export type { RAdamOptions, RAdamParamGroup } from './radam';
export { LBFGS } from './lbfgs';
export type { LBFGSOptions, LBFGSParamGroup } from './lbfgs';
/** Learning-rate schedulers (`torch.optim.lr_scheduler`). */
export * as lrScheduler from './lr_scheduler';
