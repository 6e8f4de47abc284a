// dockerd's model per rule layout: docker commands → the plain commands dockerd runs.
export { expandDockerCommand, newDockerState } from './model.ts';
export { renderStep, renderSteps, shellQuote, splitShellWords, expandScript } from './script.ts';
export type { ExpandedScript } from './script.ts';
export { resolveDockerVersion, knownVersions, DEFAULT_DOCKER_VERSION, LAYOUTS, isLayout } from './versions.ts';
export type { Layout, DockerVersion } from './versions.ts';
export type { DockerState, ExpandOptions, Expansion, Step, Network, Container, PortBinding, DaemonConfig } from './types.ts';
export { IMAGES, lookupImage } from './images.ts';
export { httpResponse, imageHttpResponse, SERVER_PORTS } from './http.ts';
