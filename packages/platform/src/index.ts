/**
 * `@openrun/platform`: the OpenRun server. Build it with `buildPlatform`, listen with `listenPlatform`.
 */
export { buildPlatform, OPENRUN_API_VERSION } from './app.js';
export type { PlatformSeams } from './app.js';
export type { ApiGroupIndex, RootIndex } from './routes/root-index.js';
export { envFlag, isLoopbackHost, resolveConfig } from './config.js';
export { listensOnLoopbackOnly } from './routes/control/control-auth.js';
export type { PlatformConfig, PlatformOptions } from './config.js';
export { createClock } from './domain/clock.js';
export type { ClockState, PlatformClock } from './domain/clock.js';
export { createApp } from './domain/apps.js';
export type { NewApp } from './domain/apps.js';
export { createUser } from './domain/users.js';
export type { NewUser } from './domain/users.js';
export { putSteps } from './domain/steps.js';
export type { PlatformContext } from './domain/context.js';
export { StoreVersionError } from './stores/schema-version.js';
export { StoreUnavailableError } from './stores/store-unavailable.js';
export type { StoreBackend, StoreBackendKind } from './stores/store-backend.js';
// The control API's payloads (the dashboard and the CLI read these, never restate them).
export type { AppView, UserView } from './routes/control/schemas.js';
export type { GeneratedUsersReply } from './routes/control/steps-generate.js';
export type { ClockView } from './routes/control/clock.js';
export type { FaultView } from './routes/control/faults.js';
export type { RequestLogView } from './routes/control/requests.js';
export type { FunctionCallView } from './routes/control/function-calls.js';
export type { LiveRecordsView } from './routes/control/live.js';
export type { AppUserView } from './routes/control/grants.js';
export type { FunctionConsoleLine } from './functions/function-runner.js';
export type { FaultAction, FaultRule } from './plugins/faults.js';
export type { AppRecord, PromptAnswer, StepDay, UserRecord } from './stores/records.js';
export { listenPlatform, listenPlatformTls } from './server.js';
export { seedDemo } from './domain/demo-seed.js';
export { applyScenario } from './domain/scenario/apply-scenario.js';
export type { AppliedScenario } from './domain/scenario/apply-scenario.js';
export { checkScenario, ScenarioError } from './domain/scenario/check-scenario.js';
export type { Scenario } from './domain/scenario/scenario-schema.js';
export { exportState, importState } from './domain/state-transfer.js';
export type { StateDocument } from './domain/state-document.js';
export type { DemoData } from './domain/demo-seed.js';
export { generateStepHistory, seededRandom } from './domain/step-generator.js';
export type { StepModel } from './domain/step-generator.js';
// Type exports of the plugins also carry their `declare module 'fastify'` augmentations (app.openrun, app.faults).
export type { PlatformContextOptions } from './plugins/platform-context.js';
export type { FaultRegistry } from './plugins/faults.js';
export type { CloudFunctionsOptions } from './plugins/cloud-functions.js';
export type { TlsGateway } from './plugins/tls-gateway.js';
export type { LocalCa, TlsIdentity } from './tls/local-ca.js';
export type { TlsInfo } from './routes/tls/index.js';
export { SERVED_HOST_PATTERNS } from './tls/served-hosts.js';
