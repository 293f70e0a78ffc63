import protobuf from "protobufjs/light";
import { DESCRIPTOR } from "./descriptor.generated.ts";

/**
 * The schema as protobufjs reflection, loaded from the descriptor generated
 * from proto/ at development time (descriptor-gen.ts). protobufjs's light
 * build has no .proto parser, so none is bundled or evaluated at start.
 */
export function descriptorRoot(): protobuf.Root {
  const root = protobuf.Root.fromJSON(DESCRIPTOR);
  root.resolveAll();
  return root;
}
