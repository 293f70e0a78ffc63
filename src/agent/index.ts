export { type OpeningVault, openVault, runServices, type ServicesContext } from "./services.ts";
