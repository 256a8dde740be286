export { validate, Validator, dtypeMatches, shapeMatches, type ValidationError, type ValidationErrorKind } from "./validator.js";
