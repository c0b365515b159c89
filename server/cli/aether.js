#!/usr/bin/env node
// The `aether` bin: runs the TypeScript command line through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
