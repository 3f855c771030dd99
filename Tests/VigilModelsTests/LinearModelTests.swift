import Foundation
import Testing
import VigilModels

struct LinearModelTests {
    func model(_ json: String, features: [Feature]? = nil) throws(ModelError) -> LinearModel {
        try LinearModel.parse(json: Array(json.utf8), features: features)
    }

    @Test func regressionComputesWeightedSumPlusIntercept() throws {
        let linear = try model(
            #"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[2,3]],"intercepts":[1]}"#)
        let prediction = try linear.predict(FeatureBatch(rowCount: 2, featureCount: 2, values: [1, 1, -2, 0.5]))
        #expect(prediction == .regression(values: [6, -1.5], targets: 1))
    }

    @Test func binaryLogisticGivesSigmoidAndItsComplement() throws {
        let linear = try model(
            #"{"format":"vigil-linear","kind":"logistic","features":["x"],"classes":["no","yes"],"coefficients":[[1]],"intercepts":[0]}"#)
        let prediction = try linear.predict(FeatureBatch(rowCount: 2, featureCount: 1, values: [0, log(3)]))
        guard case .classification(let labels, let probabilities, 2) = prediction else {
            Issue.record("not binary")
            return
        }
        #expect(labels == [0, 1])
        #expect(abs(probabilities[0] - 0.5) < 1e-15 && abs(probabilities[1] - 0.5) < 1e-15)
        #expect(abs(probabilities[2] - 0.25) < 1e-15 && abs(probabilities[3] - 0.75) < 1e-15)
    }

    @Test func multinomialLogisticIsSoftmaxOfScores() throws {
        let linear = try model(
            #"{"format":"vigil-linear","kind":"logistic","features":["x"],"classes":[10,20,30],"coefficients":[[0],[0],[1]],"intercepts":[0,0,0]}"#
        )
        let prediction = try linear.predict(FeatureBatch(rowCount: 1, featureCount: 1, values: [log(2)]))
        guard case .classification(let labels, let probabilities, 3) = prediction else {
            Issue.record("not 3 classes")
            return
        }
        #expect(labels == [2])
        #expect(abs(probabilities[0] - 0.25) < 1e-15 && abs(probabilities[2] - 0.5) < 1e-15)
    }

    @Test func coefficientWidthMustMatchFeatures() {
        #expect(throws: ModelError(.invalidModel, "coefficients row 0 has 3 values; the model has 2 features")) {
            try model(#"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[1,2,3]],"intercepts":[0]}"#)
        }
    }

    @Test func wrongFormatNameIsRejected() {
        #expect(throws: ModelError.self) {
            try model(#"{"format":"sklearn","kind":"regression","coefficients":[[1]],"intercepts":[0]}"#)
        }
    }

    @Test func malformedJSONNamesTheMissingField() {
        do {
            _ = try model(#"{"format":"vigil-linear","kind":"regression","coefficients":[[1]]}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("intercepts"))
        }
    }
}
