// What the Worker imports to render email, as one entry for the bundling test
// in templates-bundle.test.ts. Not a test itself.
export { createPrecompiledRenderer } from '../../../src/adapters/templates/precompiled-renderer.ts';
export { sampleView } from '../../../src/core/rendering/sample-view.ts';
export { emailTemplates } from '../../../src/generated/email-templates.ts';
export { createViewBuilder } from '../../../src/services/render/build-view.ts';
