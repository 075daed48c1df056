// Entry point: builds the platform for the selected stack and exports names, ids and versions.
// Secret values are never exported; read them from the backend.
import { createPlatform, stackOutputs } from "./components/platform";

const outputs = stackOutputs(createPlatform());

export const environment = outputs.environment;
export const backend = outputs.backend;
export const secretIds = outputs.secretIds;
export const secretVersions = outputs.secretVersions;
export const principals = outputs.principals;
export const grants = outputs.grants;
export const serviceUrls = outputs.serviceUrls;
export const serviceSecrets = outputs.serviceSecrets;
export const cloudSqlConnectionName = outputs.cloudSqlConnectionName;
export const rotationGenerations = outputs.rotationGenerations;
export const kubernetes = outputs.kubernetes;
