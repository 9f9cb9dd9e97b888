package io.yinghuo.web.archfixture;

import jcuda.driver.CUdeviceptr;

/** Breaks a dependency rule on purpose: DependencyRulesTest shows the rule reports it. Never imported as production. */
public class WebClassUsingJCuda {
    public CUdeviceptr pointer() {
        return new CUdeviceptr();
    }
}
