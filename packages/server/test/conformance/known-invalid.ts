/**
 * Official R4 examples that are invalid against the R4 specification itself (see
 * docs/conformance.md for each reason: missing required elements, failed invariants such as bdl-7 and
 * sdf-4, an id longer than 64 characters, strings over 1 MB, codes with surrounding whitespace).
 * Any other rejection is a bug in Yiyun.
 */
export const KNOWN_INVALID: readonly string[] = [
  'Bundle-dataelements.json',
  'Bundle-v2-valuesets.json',
  'CodeSystem-dicom-dcim.json',
  'CodeSystem-v2-0550.json',
  'ImplementationGuide-fhir.json',
  'Questionnaire-qs1.json',
  'SearchParameter-codesystem-extensions-CodeSystem-author.json',
  'SearchParameter-codesystem-extensions-CodeSystem-effective.json',
  'SearchParameter-codesystem-extensions-CodeSystem-end.json',
  'SearchParameter-codesystem-extensions-CodeSystem-keyword.json',
  'SearchParameter-codesystem-extensions-CodeSystem-workflow.json',
  'SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json',
  'SearchParameter-valueset-extensions-ValueSet-author.json',
  'SearchParameter-valueset-extensions-ValueSet-effective.json',
  'SearchParameter-valueset-extensions-ValueSet-end.json',
  'SearchParameter-valueset-extensions-ValueSet-keyword.json',
  'SearchParameter-valueset-extensions-ValueSet-workflow.json',
  'StructureDefinition-Definition.json',
  'StructureDefinition-Event.json',
  'StructureDefinition-FiveWs.json',
  'StructureDefinition-Request.json',
  'ValueSet-c80-doc-typecodes.json',
  'ig-r4.json',
];
