// A local ESLint plugin doing action-lint's core name check, for the benchmark:
// `….triggerAction('name')` with a string argument that is not a configured
// API Action. The names come from the JSON copy of the actions config that
// bench/gen.py writes beside each site (talkative-actions.json), found from
// the rule option `actionsFile`, else $TALKATIVE_ACTIONS, else the current
// directory. ESLint cannot see HTML event-handler attributes (onclick=…),
// so those references go unchecked here.
import fs from "node:fs";
import path from "node:path";

const cache = new Map();

function loadNames(file) {
  if (!cache.has(file)) {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const list = Array.isArray(doc) ? doc : doc.actions;
    cache.set(file, new Set(list.map((a) => (typeof a === "string" ? a : a.reference ?? a.apiReference ?? a.api_reference ?? a.name))));
  }
  return cache.get(file);
}

function propertyName(member) {
  if (!member.computed && member.property.type === "Identifier") return member.property.name;
  if (member.computed && member.property.type === "Literal" && typeof member.property.value === "string") return member.property.value;
  return null;
}

function staticString(node) {
  if (!node) return null;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const actionNames = {
  meta: {
    type: "problem",
    docs: { description: "triggerAction() names must be configured API Actions" },
    schema: [{ type: "object", properties: { actionsFile: { type: "string" } }, additionalProperties: false }],
    messages: { unknown: "Unknown API Action '{{name}}': it is not in the actions config." },
  },
  create(context) {
    const opt = context.options[0] ?? {};
    const file = path.resolve(context.cwd, opt.actionsFile ?? process.env.TALKATIVE_ACTIONS ?? "talkative-actions.json");
    const names = loadNames(file);
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || propertyName(callee) !== "triggerAction") return;
        const name = staticString(node.arguments[0]);
        if (name !== null && !names.has(name)) {
          context.report({ node: node.arguments[0], messageId: "unknown", data: { name } });
        }
      },
    };
  },
};

export default {
  meta: { name: "eslint-plugin-talkative-bench", version: "0.0.0" },
  rules: { "action-names": actionNames },
};
