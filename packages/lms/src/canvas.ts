import type { LearningPath } from '@learnpath/schema';
import { phaseLabel, phasePrerequisites } from './references.js';
import { createXmlDocument, serializeXml, textElement } from './xml.js';

/** The namespace of Canvas's Common Cartridge extension files. */
export const CANVAS_NAMESPACE = 'http://canvas.instructure.com/xsd/cccv1p0';
const CANVAS_XSD = 'https://canvas.instructure.com/xsd/cccv1p0.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A module item as Canvas's module_meta.xml describes it. */
export interface CanvasModuleItem {
  identifier: string;
  title: string;
  /** `WikiPage` (with the page's identifier) or `ExternalUrl` (with the URL). */
  content: { type: 'WikiPage'; identifierref: string } | { type: 'ExternalUrl'; url: string };
}

/** Identifiers and items of the modules, one per phase, in phase order. */
export interface CanvasModulePlan {
  moduleIds: Map<string, string>;
  items: Map<string, CanvasModuleItem[]>;
}

/**
 * `course_settings/module_meta.xml`, read by Canvas's importer (lib/cc/importer/canvas/
 * module_converter.rb): one module per phase with its position, `require_sequential_progress`
 * for sequential phases, a `must_view` completion requirement per item (without requirements
 * a module counts as complete at once, which would make prerequisites and sequential
 * progress meaningless) and `context_module` prerequisites from the phase dependencies.
 */
export function renderModuleMeta(path: LearningPath, plan: CanvasModulePlan): string {
  const prerequisites = phasePrerequisites(path);
  const byId = new Map(path.phases.map((p) => [p.id, p] as const));
  const doc = createXmlDocument();
  const modules = doc.ele(CANVAS_NAMESPACE, 'modules', {
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${CANVAS_NAMESPACE} ${CANVAS_XSD}`,
  });
  path.phases.forEach((phase, index) => {
    const moduleId = plan.moduleIds.get(phase.id)!;
    const items = plan.items.get(phase.id) ?? [];
    const mod = modules.ele('module', { identifier: moduleId });
    textElement(mod, 'title', phaseLabel(phase));
    textElement(mod, 'workflow_state', 'active');
    textElement(mod, 'position', String(index + 1));
    textElement(mod, 'require_sequential_progress', String(phase.sequential));
    textElement(mod, 'locked', 'false');
    const required = prerequisites.get(phase.id) ?? [];
    if (required.length > 0) {
      const node = mod.ele('prerequisites');
      for (const id of required) {
        const prerequisite = node.ele('prerequisite', { type: 'context_module' });
        textElement(prerequisite, 'title', phaseLabel(byId.get(id)!));
        textElement(prerequisite, 'identifierref', plan.moduleIds.get(id)!);
      }
    }
    const itemsNode = mod.ele('items');
    items.forEach((item, i) => {
      const node = itemsNode.ele('item', { identifier: item.identifier });
      textElement(node, 'content_type', item.content.type);
      textElement(node, 'workflow_state', 'active');
      textElement(node, 'title', item.title);
      if (item.content.type === 'WikiPage') {
        textElement(node, 'identifierref', item.content.identifierref);
      } else {
        // Canvas's own exports point an external URL item at itself.
        textElement(node, 'identifierref', item.identifier);
        textElement(node, 'url', item.content.url);
      }
      textElement(node, 'position', String(i + 1));
      textElement(node, 'new_tab', String(item.content.type === 'ExternalUrl'));
      textElement(node, 'indent', '0');
    });
    if (items.length > 0) {
      const requirements = mod.ele('completionRequirements');
      for (const item of items) {
        textElement(requirements.ele('completionRequirement', { type: 'must_view' }), 'identifierref', item.identifier);
      }
    }
  });
  return serializeXml(doc);
}

/** The flag file whose presence (referenced from the manifest) makes Canvas read the extension files. */
export const CANVAS_EXPORT_FLAG_TEXT =
  'This cartridge carries Canvas course extensions: course_settings/module_meta.xml holds module order, sequential progress and prerequisites.\n';
