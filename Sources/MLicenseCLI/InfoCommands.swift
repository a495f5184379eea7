import MLicenseCore
import MLicenseKnowledge

/// `explain`, `rules`, `licenses`, `registry`, `config`.
enum InfoCommands {
    static let explainSpec = CommandSpec(name: "explain", summary: "print a rule's documentation",
                                         usage: "mlicense explain CODE|SLUG", options: [])
    static let rulesSpec = CommandSpec(name: "rules", summary: "list every rule with code, slug and default severity",
                                       usage: "mlicense rules [--format text|json]",
                                       options: [OptionSpec(name: "format", value: "FORMAT", help: "text (default) or json")])
    static let licensesSpec = CommandSpec(name: "licenses", summary: "list the license knowledge base with each license's terms, or show one",
                                          usage: "mlicense licenses [ID] [--format text|json]",
                                          options: [OptionSpec(name: "format", value: "FORMAT", help: "text (default) or json")])
    static let registrySpec = CommandSpec(name: "registry", summary: "list the base-model registry (license, kind, source), or show one model",
                                          usage: "mlicense registry [ORG/NAME] [--format text|json]",
                                          options: [OptionSpec(name: "format", value: "FORMAT", help: "text (default) or json")])
    static let configSpec = CommandSpec(name: "config", summary: "print the effective configuration as YAML",
                                        usage: "mlicense config [PATH] [--config FILE] [--staged]",
                                        options: [OptionSpec(name: "config", value: "FILE", help: "read this configuration file"),
                                                  OptionSpec(name: "staged", help: "read the staged .mlicense.yml")])

    static func explain(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, explainSpec, io) else { return 0 }
        guard a.positionals.count == 1 else { throw UsageError(message: "explain takes one rule code or slug, e.g. `mlicense explain ML204`") }
        guard let d = RuleRegistry.description(for: a.positionals[0]) else {
            let names = RuleRegistry.descriptions.flatMap { [$0.code, $0.slug] }
            let hint = Suggestion.closest(to: a.positionals[0], in: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw UsageError(message: "unknown rule `\(a.positionals[0])`\(hint); `mlicense rules` lists them")
        }
        io.out(d.documentation)
        return 0
    }

    static func format(_ a: ParsedArguments) throws(UsageError) -> String {
        let f = a.value("format") ?? "text"
        guard f == "text" || f == "json" else { throw UsageError(message: "--format must be text or json") }
        return f
    }

    static func rules(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, rulesSpec, io) else { return 0 }
        let ds = RuleRegistry.descriptions
        if try format(a) == "json" {
            io.out(JSONValue.array(ds.map { d in
                .object([("code", .string(d.code)), ("slug", .string(d.slug)), ("severity", .string(d.defaultSeverity.rawValue)),
                         ("adapterSeverity", .optional(d.lenientAdapterSeverity?.rawValue)),
                         ("relations", .array(d.relations.map { .string($0.rawValue) })), ("summary", .string(d.summary))])
            }).serialized() + "\n")
        } else {
            for d in ds {
                let sev = d.defaultSeverity.rawValue + (d.lenientAdapterSeverity.map { _ in " (adapter: by license)" } ?? "")
                io.out("\(d.code)  \(padded(d.slug, 30)) \(padded(sev, 24)) \(d.summary)\n")
            }
        }
        return 0
    }

    static func derivativesText(_ p: DerivativePolicy) -> String {
        switch p {
        case .any: return "any license"
        case .none: return "none (no derivatives may be shared)"
        case .only(let ids): return ids.joined(separator: ", ")
        }
    }

    static func licenseJSON(_ r: LicenseRecord) -> JSONValue {
        let t = r.terms
        return .object([
            ("id", .string(r.id)), ("hubId", .bool(r.isHubID)), ("name", .string(r.name)), ("spdx", .optional(r.spdx)),
            ("aliases", .array(r.aliases.map(JSONValue.string))), ("url", .optional(r.url)),
            ("family", .string(t.family.rawValue)), ("derivatives", .string(derivativesText(t.derivatives))),
            ("nonCommercial", .bool(t.nonCommercial)), ("useRestrictions", .bool(t.useRestrictions)),
            ("exclusiveFamily", .optional(t.exclusiveFamily)), ("namePrefix", .optional(t.namePrefix)),
            ("notice", .optional(t.notice)), ("builtWith", .optional(t.builtWith)), ("copyRequired", .bool(t.copyRequired)),
            ("writtenForModels", .bool(t.writtenForModels)), ("adapterDerivative", .optional(t.adapterDerivative)),
            ("relicenseConditional", .optional(t.relicenseConditional)), ("source", .string(r.source)),
        ])
    }

    static func licenseText(_ r: LicenseRecord) -> String {
        let t = r.terms
        var flags: [String] = [t.family.rawValue]
        if t.nonCommercial { flags.append("non-commercial") }
        if t.useRestrictions { flags.append("use restrictions") }
        if let e = t.exclusiveFamily { flags.append("exclusive to \(e)") }
        if t.copyRequired { flags.append("copy required") }
        if t.writtenForModels { flags.append("written for models") }
        var s = "\(r.isHubID ? r.id : "other: \(r.id)")  \(r.name)\n    terms: \(flags.joined(separator: ", "))\n    derivatives may use: \(derivativesText(t.derivatives))\n"
        if let c = t.relicenseConditional { s += "    on conditions: \(c)\n" }
        s += "    adapters: " + (t.adapterDerivative.map { "a derivative (\($0))" } ?? "not defined as derivatives (relicensing findings are warnings)") + "\n"
        if let p = t.namePrefix { s += "    name must begin with: \"\(p)\"\n" }
        if let n = t.notice { s += "    NOTICE: \"\(n)\"\n" }
        if let b = t.builtWith { s += "    display: \"\(b)\"\n" }
        if let u = r.url { s += "    text: \(u)\n" }
        if !r.aliases.isEmpty { s += "    also written: \(r.aliases.joined(separator: ", "))\n" }
        s += "    source: \(r.source)\n"
        return s
    }

    static func licenses(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, licensesSpec, io) else { return 0 }
        guard a.positionals.count <= 1 else { throw UsageError(message: "licenses takes at most one license id, e.g. `mlicense licenses llama3.1`") }
        let knowledge = BuiltinKnowledge.shared
        var all = knowledge.licenses
        if let id = a.positionals.first {
            guard let r = knowledge.license(named: id) else {
                throw UsageError(message: "no license `\(id)` in the knowledge base; `mlicense licenses` lists them (state a custom license's terms in .mlicense.yml `licenses:`)")
            }
            all = [r]
        }
        if try format(a) == "json" {
            let value = a.positionals.isEmpty ? JSONValue.array(all.map(licenseJSON)) : licenseJSON(all[0])
            io.out(value.serialized() + "\n")
            return 0
        }
        for r in all { io.out(licenseText(r)) }
        return 0
    }

    static func registry(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, registrySpec, io) else { return 0 }
        guard a.positionals.count <= 1 else { throw UsageError(message: "registry takes at most one model id, e.g. `mlicense registry meta-llama/Llama-3.1-8B`") }
        let knowledge = BuiltinKnowledge.shared
        var entries = knowledge.baseModels
        if let id = a.positionals.first {
            guard let e = knowledge.baseModel(ModelReference.id(id)) else {
                throw UsageError(message: "`\(id)` is not in the registry; mlicense does not guess a license from a name: declare it in .mlicense.yml base-licenses")
            }
            entries = [e]
        }
        func json(_ e: BaseModelEntry) -> JSONValue {
            .object([("id", .string(e.id)), ("license", .string(e.license)), ("kind", .optional(e.kind?.rawValue)),
                     ("reuploadOf", .optional(e.reuploadOf)), ("source", .string(e.source))])
        }
        if try format(a) == "json" {
            io.out((a.positionals.isEmpty ? JSONValue.array(entries.map(json)) : json(entries[0])).serialized() + "\n")
            return 0
        }
        if a.positionals.isEmpty {
            for e in entries {
                let extra = [e.kind?.rawValue, e.reuploadOf.map { "re-upload of \($0)" }].compactMap { $0 }
                io.out("\(padded(e.id, 52)) \(padded(e.license, 26)) \(extra.joined(separator: ", "))\n")
            }
            return 0
        }
        let e = entries[0]
        var s = "\(e.id)\n    license: \(e.license)\n"
        if let k = e.kind { s += "    kind: \(k.rawValue)\n" }
        if let r = e.reuploadOf { s += "    re-upload of: \(r)\n" }
        s += "    source: \(e.source)\n"
        if let r = knowledge.license(id: e.license) { s += "\n" + licenseText(r) }
        io.out(s)
        return 0
    }

    static func config(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, configSpec, io) else { return 0 }
        let ws = try Workspace.open(a.positionals.first ?? ".", source: a.has("staged") ? .staged : nil, environment: io.environment)
        let snapshot = try ws.snapshot { _ in false }
        let c = try ws.configuration(snapshot, explicit: a.value("config"), disabled: false)
        for w in c.warnings { io.err("mlicense: warning: \(w.location.display): \(w.message)\n") }
        io.out(ConfigurationPrinter.yaml(c))
        return 0
    }
}

/// Prints a configuration as YAML (quoted where needed).
enum ConfigurationPrinter {
    static func q(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./*@+".unicodeScalars.contains($0)) }
            && !s.hasPrefix("*") && Severity(rawValue: s) == nil && !["yes", "no", "on", "off", "true", "false", "null"].contains(s.lowercased())
        return plain ? s : "\"" + s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    static func yaml(_ c: Configuration) -> String {
        var s = "# effective configuration" + (c.path.map { " (from \($0))" } ?? " (defaults: no .mlicense.yml found)") + "\n"
        s += "version: 1\nfail-on: \(c.failOn.rawValue)\nadapters: \(c.adapters.rawValue)\nrules:\n"
        for d in RuleRegistry.descriptions {
            let setting: String
            switch c.ruleSeverities[d.code] {
            case .off?: setting = "off"
            case .severity(let sv)?: setting = sv.rawValue
            case nil:
                let adapter: String
                switch (d.lenientAdapterSeverity, c.adapters) {
                case (let l?, .lenient): adapter = "; \(l.rawValue) for adapters"
                case (let l?, .byLicense): adapter = "; for adapters \(d.defaultSeverity.rawValue) where the base's license makes them derivatives, else \(l.rawValue)"
                default: adapter = ""
                }
                setting = d.defaultSeverity.rawValue
                s += "  \(d.code): \(setting)  # \(d.slug)\(adapter)\n"
                continue
            }
            s += "  \(d.code): \(setting)  # \(d.slug)\n"
        }
        s += "base-licenses:" + (c.baseLicenses.isEmpty ? " {}\n" : "\n")
        for (id, l) in c.baseLicenses.sorted(by: { $0.key < $1.key }) {
            var fields = ["license: \(q(l.license))"]
            if let n = l.licenseName { fields.append("license-name: \(q(n))") }
            if let k = l.kind { fields.append("kind: \(k.rawValue)") }
            s += fields.count == 1 ? "  \(q(id)): \(q(l.license))\n" : "  \(q(id)): {\(fields.joined(separator: ", "))}\n"
        }
        s += "models:" + (c.models.isEmpty ? " []  # discovered\n" : "\n" + c.models.map { "  - \(q($0))\n" }.joined())
        s += "exclude:" + (c.exclude.isEmpty ? " []\n" : "\n" + c.exclude.map { "  - \(q($0))\n" }.joined())
        s += "ignore:" + (c.ignore.isEmpty ? " []\n" : "\n" + c.ignore.map { "  - rule: \(q($0.rule))\n    path: \(q($0.path))\n    reason: \(q($0.reason))\n" }.joined())
        s += "resolve:\n  hf-cache: \(c.hfCache)\n"
        s += "push-history: \(c.pushHistory.rawValue)\n"
        s += "licenses:" + (c.customLicenses.isEmpty ? " {}\n" : "\n")
        for r in c.customLicenses {
            let t = r.terms
            s += "  \(q(r.id)):  # \(t.family.rawValue); derivatives may use: \(InfoCommands.derivativesText(t.derivatives))\n"
            s += "    non-commercial: \(t.nonCommercial)\n    no-derivatives: \(t.derivatives == .none)\n"
            s += "    share-alike: \(t.family == .copyleft)\n    use-restrictions: \(t.useRestrictions)\n"
            if case .only(let ids) = t.derivatives { s += "    derivatives: [\(ids.map(q).joined(separator: ", "))]\n" }
            s += "    adapter-derivative: \(t.adapterDerivative != nil)\n    copy-required: \(t.copyRequired)\n"
        }
        s += "overrides:" + (c.overrides.isEmpty ? " {}\n" : "\n")
        for (p, o) in c.overrides.sorted(by: { $0.key < $1.key }) {
            s += "  \(q(p)):\n"
            if let r = o.lineage.relation { s += "    relation: \(r.rawValue)\n" }
            if !o.lineage.baseModels.isEmpty { s += "    base-models: [\(o.lineage.baseModels.map(q).joined(separator: ", "))]\n" }
            if let n = o.name { s += "    name: \(q(n))\n" }
        }
        return s
    }
}
