import { topInteractions } from "../../lib/interactions/top_interactions.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("topInteractions() ranks by |I| with deterministic ties", () => {
  const top = topInteractions({ or: [9, 2, -2, 0.5], and: [9, 1, 2, -3] }, {
    count: 4,
  });
  assertEquals(
    top.map((t) => `${t.kind}${t.players.join("")}=${t.value}`),
    ["and01=-3", "and1=2", "or0=2", "or1=-2"],
  );
});
