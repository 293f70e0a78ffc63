export { runServices, type ServicesContext } from "./services.ts";
